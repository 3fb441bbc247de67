import { opSuite } from './suite.js';

opSuite('addBias');
