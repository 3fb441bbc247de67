import { opSuite } from './suite.js';

opSuite('rmspropUpdate');
