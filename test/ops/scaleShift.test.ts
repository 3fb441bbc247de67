import { opSuite } from './suite.js';

opSuite('scaleShift');
