// The demo page: trains with fitAsync, which yields to the page between batches, so it never
// freezes. Each panel is a module of its own; this wires them (explicitly: the package is
// side-effect free, so a bundler may drop a module imported only for its effects).
import { showError } from './common.ts';
import { initBenchmark } from './panels/bench.ts';
import { initComparisons } from './panels/compare.ts';
import { initFitExplorer } from './panels/fit.ts';
import { initGradCheck } from './panels/gradcheck.ts';
import { initTraining, setup } from './panels/train.ts';

initTraining();
initComparisons();
initFitExplorer();
initGradCheck();
initBenchmark();
setup().catch(showError);
