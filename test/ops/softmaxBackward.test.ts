import { opSuite } from './suite.js';

opSuite('softmaxBackward');
