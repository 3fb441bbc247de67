import { opSuite } from './suite.js';

opSuite('sumSquares');
