import { opSuite } from './suite.js';

opSuite('sigmoid');
