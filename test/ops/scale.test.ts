import { opSuite } from './suite.js';

opSuite('scale');
