import { opSuite } from './suite.js';

opSuite('batchNormBackward');
