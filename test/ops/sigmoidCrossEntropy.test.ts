import { opSuite } from './suite.js';

opSuite('sigmoidCrossEntropy');
