// The gradient check of the network as it is now (the trained one, copied into float64), with a
// planted bug on demand: dense2's weight gradient doubled after backprop, as the course's exercise
// plants one, so that the check's failure and the entry it names can be seen.
import * as dl from 'dl-fundamentals';
import { $, makeModel, lossOf, showErrorIn, backendFor } from '../common.ts';
import { readConfig } from '../form.ts';
import { current } from './train.ts';
import { makeData } from '../common.ts';

/** Doubles one layer's ∂W after every backward pass of this model (only this model). */
function breakBackprop(model: dl.Sequential, layer: string): void {
  const named = model.namedParams().find((p) => p.name === `${layer}.W`);
  if (!named) throw new Error(`Break backprop: this network has no ${layer} (it needs two dense layers)`);
  const backward = model.backward.bind(model);
  model.backward = (grad, loss) => {
    backward(grad, loss);
    model.backend.scale(named.param.grad, 2, named.param.grad);
  };
}

/** The gradient check of the network as it is now (the trained one, copied into float64). */
export async function checkNow(broken: boolean): Promise<{ r: dl.GradCheckResult; epoch: number }> {
  const run = current();
  const c = run?.config ?? readConfig();
  const backend = await backendFor(c.backend, 'float64');
  const data = run?.data ?? makeData(c);
  const model = makeModel(c, backend, data.classes);
  try {
    if (run) model.setWeights(run.model.getWeights());
    if (broken) breakBackprop(model, 'dense2');
    const few = dl.datasets.trainTestSplit(data.train, { testFraction: 0.1, seed: 1 }).test;
    const r = dl.gradCheck(model, few.x, few.y, {
      loss: lossOf(data.classes),
      l2: c.reg === 'l2' ? c.lambda : 0,
      maxChecks: 400,
    });
    return { r, epoch: run?.epoch ?? 0 };
  } finally {
    model.dispose();
  }
}

/** Wires the panel's controls. */
export function initGradCheck(): void {
  $('run-gc').addEventListener('click', async () => {
    const out = $('gc-out');
    $('gc-error').hidden = true;
    try {
      const { r, epoch } = await checkNow($<HTMLInputElement>('gc-break').checked);
      const worst = r.worst[0];
      out.innerHTML = `<p class="verdict ${r.passed ? 'ok' : 'bad'}">${r.passed ? 'passed' : 'FAILED'}: difference
      ${r.difference.toExponential(2)} against threshold ${r.threshold} (ε = ${r.epsilon}, ${r.checked} entries, the network at epoch ${epoch})${
        r.passed || !worst
          ? ''
          : `; the worst entry is <strong class="worst">${worst.layer}.${worst.param}[${worst.index}]</strong>: backprop ${worst.analytic.toExponential(3)}, numeric ${worst.numeric.toExponential(3)}`
      }</p>
      ${r.kinks.count ? `<p class="kinks">${r.kinks.count} more ${r.kinks.count === 1 ? 'entry was' : 'entries were'} left out: ${r.kinks.why}.</p>` : ''}
      <table><caption>Largest |analytic − numeric|</caption><thead><tr><th>parameter</th><th>index</th><th>analytic</th><th>numeric</th></tr></thead>
      <tbody>${r.worst.map((w) => `<tr><td>${w.layer}.${w.param}</td><td>${w.index}</td><td>${w.analytic.toExponential(6)}</td><td>${w.numeric.toExponential(6)}</td></tr>`).join('')}</tbody></table>`;
    } catch (e) {
      showErrorIn('gc-error', e);
    }
  });
}
