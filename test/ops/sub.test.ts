import { opSuite } from './suite.js';

opSuite('sub');
