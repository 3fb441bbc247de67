// The fit explorer: underfit, overfit and good fit on the football set.
import * as dl from 'dl-fundamentals';
import { drawCurves, onResized, type Curve } from '../draw.ts';
import { $, val, num, verdictOf, train, showErrorIn, backendFor } from '../common.ts';
import { TEST_COLOR, TRAIN_COLOR } from '../palette.ts';

const EPOCHS = 2000;
/** the last run's curves, drawn again when the width changes */
let shown: Curve[] = [];
const draw = () => drawCurves($<HTMLCanvasElement>('fx-curves'), shown, [TRAIN_COLOR, TEST_COLOR], 'loss', EPOCHS);

/** Wires the panel's controls. */
export function initFitExplorer(): void {
  onResized(() => {
    if (shown.length) draw();
  });
  $('run-fit').addEventListener('click', async () => {
    const b = $<HTMLButtonElement>('run-fit');
    const out = $('fx-verdict');
    $('fx-error').hidden = true;
    b.disabled = true;
    try {
      const hidden = val('fx-hidden').split(',').map(Number),
        l2 = num('fx-l2'),
        rate = num('fx-rate');
      if (!(l2 >= 0 && Number.isFinite(l2)) || val('fx-l2').trim() === '')
        throw new Error(`λ (L2): give a number ≥ 0, not '${val('fx-l2')}'`);
      if (!(rate >= 0 && rate < 1) || val('fx-rate').trim() === '')
        throw new Error(`Dropout: give a rate from 0 to below 1, not '${val('fx-rate')}'`);
      const backend = await backendFor('wasm', 'float64');
      const football = dl.datasets.football();
      const layers: dl.Layer[] = [];
      for (const h of hidden) {
        layers.push(dl.dense(h, { init: 'xavier' }), dl.relu());
        if (rate > 0) layers.push(dl.dropout(rate));
      }
      layers.push(dl.dense(1, { init: 'xavier' }), dl.sigmoid());
      const model = dl.sequential(layers, { inputSize: 2, backend, seed: 3 });
      const tr: Curve = [[0, model.evaluate(football.train.x, football.train.y).loss]],
        te: Curve = [[0, model.evaluate(football.test.x, football.test.y).loss]];
      shown = [tr, te];
      out.textContent = 'training…';
      delete out.dataset.kind;
      await train(
        model,
        football.train,
        { loss: 'binaryCrossEntropy', optimizer: dl.adam({ learningRate: 0.01 }), l2 },
        EPOCHS,
        () => false,
        draw,
        100,
        // by epoch, not by the clock: every EPOCHS / 200
        (done) => {
          if (done % (EPOCHS / 200) !== 0) return;
          tr.push([done, model.evaluate(football.train.x, football.train.y).loss]);
          te.push([done, model.evaluate(football.test.x, football.test.y).loss]);
        },
      );
      draw();
      const trained = model.evaluate(football.train.x, football.train.y),
        tested = model.evaluate(football.test.x, football.test.y);
      const a = trained.accuracy,
        c = tested.accuracy;
      const v = verdictOf({
        train: a,
        test: c,
        losses: { train: trained.loss, test: tested.loss },
        curves: { train: tr, test: te },
      });
      out.innerHTML = `${hidden.join(', ')} hidden${l2 ? `, λ = ${l2}` : ''}${rate ? `, dropout ${rate}` : ''}: ${v.html}`;
      out.dataset.kind = v.kind;
      out.dataset.points = String(tr.length);
      out.dataset.gap = String(100 * (a - c));
      model.dispose();
    } catch (e) {
      showErrorIn('fx-error', e);
    }
    b.disabled = false;
  });
}
