import { opSuite } from './suite.js';

opSuite('tanhBackward');
