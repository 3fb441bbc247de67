import { opSuite } from './suite.js';

opSuite('softmax');
