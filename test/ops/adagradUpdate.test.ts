import { opSuite } from './suite.js';

opSuite('adagradUpdate');
