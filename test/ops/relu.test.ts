import { opSuite } from './suite.js';

opSuite('relu');
