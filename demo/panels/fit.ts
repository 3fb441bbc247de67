// The fit explorer: underfit, overfit and good fit on the football set.
import * as dl from 'dl-fundamentals';
import { drawCurves, type Curve } from '../draw.ts';
import { $, val, num, verdictOf, train, showError, backendFor } from '../common.ts';

/** Wires the panel's controls. */
export function initFitExplorer(): void {
  $('run-fit').addEventListener('click', async () => {
    const b = $<HTMLButtonElement>('run-fit');
    const out = $('fx-verdict');
    b.disabled = true;
    try {
      const hidden = val('fx-hidden').split(',').map(Number),
        l2 = num('fx-l2'),
        rate = num('fx-rate');
      if (!(l2 >= 0)) throw new Error('λ: give a number ≥ 0');
      if (!(rate >= 0 && rate < 1)) throw new Error('Dropout: give a rate from 0 to below 1');
      const backend = await backendFor('wasm', 'float64');
      const football = dl.datasets.football();
      const layers: dl.Layer[] = [];
      for (const h of hidden) {
        layers.push(dl.dense(h, { init: 'xavier' }), dl.relu());
        if (rate > 0) layers.push(dl.dropout(rate));
      }
      layers.push(dl.dense(1, { init: 'xavier' }), dl.sigmoid());
      const model = dl.sequential(layers, { inputSize: 2, backend, seed: 3 });
      const tr: Curve = [],
        te: Curve = [];
      out.textContent = 'training…';
      delete out.dataset.kind;
      await train(
        model,
        football.train,
        { loss: 'binaryCrossEntropy', optimizer: dl.adam({ learningRate: 0.01 }), l2 },
        2000,
        () => false,
        (done) => {
          tr.push([done, model.evaluate(football.train.x, football.train.y).loss]);
          te.push([done, model.evaluate(football.test.x, football.test.y).loss]);
          drawCurves($<HTMLCanvasElement>('fx-curves'), [tr, te], ['#1f6fb2', '#d9822b']);
        },
        100,
      );
      const trained = model.evaluate(football.train.x, football.train.y),
        tested = model.evaluate(football.test.x, football.test.y);
      const a = trained.accuracy,
        c = tested.accuracy;
      const v = verdictOf(a, c, { train: trained.loss, test: tested.loss });
      out.innerHTML = `${hidden.join(', ')} hidden${l2 ? `, λ = ${l2}` : ''}${rate ? `, dropout ${rate}` : ''}: ${v.html}`;
      out.dataset.kind = v.kind;
      out.dataset.gap = String(100 * (a - c));
      model.dispose();
    } catch (e) {
      showError(e);
    }
    b.disabled = false;
  });
}
