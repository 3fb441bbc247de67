import { opSuite } from './suite.js';

opSuite('sigmoidBackward');
