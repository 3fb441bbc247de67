// The demo page: trains with fitAsync, which yields to the page between batches, so it never
// freezes. Each panel is a module of its own; this wires them (explicitly: the package is
// side-effect free, so a bundler may drop a module imported only for its effects).
import { $, val } from './common.ts';
import { DEFAULT_LR, type OptimizerName } from './config.ts';
import { applyDepth, updateApplicable } from './form.ts';
import { initBenchmark } from './panels/bench.ts';
import { initComparisons } from './panels/compare.ts';
import { initFitExplorer } from './panels/fit.ts';
import { initGradCheck } from './panels/gradcheck.ts';
import { fromUrl, initLessons, syncUrl } from './panels/lesson.ts';
import { current, initTraining, settingsChanged, showError } from './panels/train.ts';

initTraining();
initLessons();
initComparisons();
initFitExplorer();
initGradCheck();
initBenchmark();

// A change of settings: the derived fields first (depth writes the layers, an optimizer its
// learning rate), then the URL, then a new network (the form is locked while one trains).
$('controls').addEventListener('change', (ev) => {
  if (current()?.active) return;
  const id = (ev.target as HTMLElement).id;
  if (id === 'depth') applyDepth();
  if (id === 'optimizer') $<HTMLInputElement>('lr').value = String(DEFAULT_LR[val('optimizer') as OptimizerName]);
  updateApplicable();
  syncUrl();
  void settingsChanged();
});
(window as unknown as { dlDemo: unknown }).dlDemo = {
  /** for the browser tests: the current network's outputs at some points */
  predict: (points: number[][]) => {
    const r = current();
    if (!r) return null;
    return Array.from(r.model.predict({ rows: points.length, cols: 2, data: Float64Array.from(points.flat()) }).data);
  },
};
fromUrl().catch(showError);
