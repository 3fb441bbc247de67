import { opSuite } from './suite.js';

opSuite('addBiasRelu');
