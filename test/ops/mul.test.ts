import { opSuite } from './suite.js';

opSuite('mul');
