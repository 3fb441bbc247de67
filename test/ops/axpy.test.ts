import { opSuite } from './suite.js';

opSuite('axpy');
