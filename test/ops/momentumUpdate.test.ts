import { opSuite } from './suite.js';

opSuite('momentumUpdate');
