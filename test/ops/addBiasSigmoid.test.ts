import { opSuite } from './suite.js';

opSuite('addBiasSigmoid');
