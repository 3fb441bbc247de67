import { opSuite } from './suite.js';

opSuite('signAxpy');
