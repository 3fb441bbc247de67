import { opSuite } from './suite.js';

opSuite('dropoutMask');
