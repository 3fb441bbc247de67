import { opSuite } from './suite.js';

opSuite('addBiasTanh');
