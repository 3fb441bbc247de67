// The gradient check of the current network.
import * as dl from 'dl-fundamentals';
import { $, readConfig, makeData, makeModel, lossOf, showError, backendFor } from '../common.ts';

/** Wires the panel's controls. */
export function initGradCheck(): void {
  $('run-gc').addEventListener('click', async () => {
    const out = $('gc-out');
    try {
      const c = readConfig();
      const backend = await backendFor(c.backend, 'float64');
      const data = makeData(c);
      const model = makeModel(c, backend, data.classes);
      const few = dl.datasets.trainTestSplit(data.train, { testFraction: 0.1, seed: 1 }).test;
      const r = dl.gradCheck(model, few.x, few.y, {
        loss: lossOf(data.classes),
        l2: c.reg === 'l2' ? c.lambda : 0,
        maxChecks: 400,
      });
      model.dispose();
      out.innerHTML = `<p class="verdict ${r.passed ? 'ok' : 'bad'}">${r.passed ? 'passed' : 'FAILED'}: difference
      ${r.difference.toExponential(2)} against threshold ${r.threshold} (ε = ${r.epsilon}, ${r.checked} entries)</p>
      ${r.kinks.count ? `<p class="kinks">${r.kinks.count} more ${r.kinks.count === 1 ? 'entry was' : 'entries were'} left out: ${r.kinks.why}.</p>` : ''}
      <table><caption>Largest |analytic − numeric|</caption><thead><tr><th>parameter</th><th>index</th><th>analytic</th><th>numeric</th></tr></thead>
      <tbody>${r.worst.map((w) => `<tr><td>${w.layer}.${w.param}</td><td>${w.index}</td><td>${w.analytic.toExponential(6)}</td><td>${w.numeric.toExponential(6)}</td></tr>`).join('')}</tbody></table>`;
    } catch (e) {
      showError(e);
    }
  });
}
