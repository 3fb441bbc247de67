import { opSuite } from './suite.js';

opSuite('sumCols');
