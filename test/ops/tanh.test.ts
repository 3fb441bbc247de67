import { opSuite } from './suite.js';

opSuite('tanh');
