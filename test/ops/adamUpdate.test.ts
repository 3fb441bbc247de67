import { opSuite } from './suite.js';

opSuite('adamUpdate');
