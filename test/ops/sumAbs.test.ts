import { opSuite } from './suite.js';

opSuite('sumAbs');
