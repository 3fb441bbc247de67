import { opSuite } from './suite.js';

opSuite('reluBackward');
