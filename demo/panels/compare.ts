// The course's comparisons, side by side with its printed numbers: initializations, regularization.
import * as dl from 'dl-fundamentals';
import { drawBoundary, drawCurves, drawLogLines, type Curve } from '../draw.ts';
import { drawHistograms } from '../network.ts';
import { $, pct, train, showErrorIn, backendFor } from '../common.ts';
import { LAYER_COLORS, TRAIN_COLOR } from '../palette.ts';

interface Entry {
  key: string;
  title: string;
  layers: () => dl.Layer[];
  l2?: number;
  course: string;
}

async function compare(
  out: HTMLElement,
  entries: Entry[],
  data: { train: dl.datasets.Dataset; test: dl.datasets.Dataset },
  epochs: number,
  lr: number,
): Promise<void> {
  const backend = await backendFor('wasm', 'float64');
  out.replaceChildren();
  for (const e of entries) {
    const card = document.createElement('figure');
    card.className = 'card';
    card.dataset.key = e.key;
    card.innerHTML = `<canvas width="200" height="200" role="img" aria-label="${e.title}: decision boundary"></canvas>
    <canvas width="200" height="120" role="img" aria-label="${e.title}: cost by iteration"></canvas>
    <canvas width="200" height="120" class="grads" role="img" aria-label="${e.title}: gradient norm of each layer by iteration, log scale"></canvas>
    <canvas width="200" height="120" class="hists" role="img" aria-label="${e.title}: histograms of each hidden layer's outputs"></canvas>
    <figcaption><strong>${e.title}</strong><br>train <span class="train-acc">…</span>, test <span class="test-acc">…</span>
    <br><span class="gap"></span><br><small>course: ${e.course}</small></figcaption>`;
    out.append(card);
    const [bCanvas, cCanvas, gCanvas, hCanvas] = card.querySelectorAll('canvas');
    const model = dl.sequential(e.layers(), { inputSize: 2, backend, seed: 3 });
    const curve: Curve = [];
    const grads: Curve[] = [];
    // recorded by epoch (every epochs/200 for the cost, epochs/20 for the gradients), from epoch 0
    const lookAt = (done: number) => {
      const s = dl.inspect(model, data.train.x, data.train.y, { loss: 'binaryCrossEntropy', l2: e.l2 ?? 0 });
      s.layers.forEach((l, i) => (grads[i] ??= []).push([done, l.gradientNorm]));
      return s.loss;
    };
    curve.push([0, lookAt(0)]);
    await train(
      model,
      data.train,
      { loss: 'binaryCrossEntropy', optimizer: dl.sgd({ learningRate: lr }), l2: e.l2 ?? 0 },
      epochs,
      () => false,
      () => {
        drawCurves(cCanvas, [curve], [TRAIN_COLOR], 'cost', epochs);
        drawLogLines(gCanvas, grads, LAYER_COLORS, '‖∂W‖', epochs);
      },
      100,
      (done, logs) => {
        if (done % (epochs / 200) === 0) curve.push([done, logs.loss]);
        if (done % (epochs / 20) === 0) lookAt(done);
      },
    );
    drawCurves(cCanvas, [curve], [TRAIN_COLOR], 'cost', epochs);
    drawLogLines(gCanvas, grads, LAYER_COLORS, '‖∂W‖', epochs);
    card.dataset.gradients = JSON.stringify(grads.map((g) => g[g.length - 1][1]));
    drawHistograms(hCanvas, model, data.train.x.data, data.train.x.rows);
    const tr = model.evaluate(data.train.x, data.train.y).accuracy,
      te = model.evaluate(data.test.x, data.test.y).accuracy;
    card.querySelector('.train-acc')!.textContent = pct(tr);
    card.querySelector('.test-acc')!.textContent = pct(te);
    card.querySelector('.gap')!.textContent = `gap ${(100 * (tr - te)).toFixed(1)} points`;
    drawBoundary(bCanvas, (g) => model.predict(g), data.train, data.test, 2);
    model.dispose();
  }
}

/** Wires the panel's controls. */
export function initComparisons(): void {
  $('run-inits').addEventListener('click', async () => {
    const b = $<HTMLButtonElement>('run-inits');
    b.disabled = true;
    const train = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
    const test = dl.datasets.circles({ samples: 100, noise: 0.05, seed: 2 });
    const net = (init: dl.InitName) => () => [
      dl.dense(10, { init }),
      dl.relu(),
      dl.dense(5, { init }),
      dl.relu(),
      dl.dense(1, { init }),
      dl.sigmoid(),
    ];
    try {
      await compare(
        $('inits-out'),
        [
          { key: 'zeros', title: 'zeros', layers: net('zeros'), course: '50% / 50%' },
          { key: 'random', title: 'random × 10', layers: net('random'), course: '83% / 86%' },
          { key: 'he', title: 'He', layers: net('he'), course: '99.3% / 96%' },
        ],
        { train, test },
        15000,
        0.01,
      );
    } catch (e) {
      showErrorIn('inits-error', e);
    }
    b.disabled = false;
  });

  $('run-regs').addEventListener('click', async () => {
    const b = $<HTMLButtonElement>('run-regs');
    b.disabled = true;
    const net = (rate: number) => () =>
      rate > 0
        ? [
            dl.dense(20, { init: 'xavier' }),
            dl.relu(),
            dl.dropout(rate),
            dl.dense(3, { init: 'xavier' }),
            dl.relu(),
            dl.dropout(rate),
            dl.dense(1, { init: 'xavier' }),
            dl.sigmoid(),
          ]
        : [
            dl.dense(20, { init: 'xavier' }),
            dl.relu(),
            dl.dense(3, { init: 'xavier' }),
            dl.relu(),
            dl.dense(1, { init: 'xavier' }),
            dl.sigmoid(),
          ];
    try {
      await compare(
        $('regs-out'),
        [
          { key: 'none', title: 'no regularization', layers: net(0), course: '94.8% / 91.5%' },
          { key: 'l2', title: 'L2, λ = 0.7', layers: net(0), l2: 0.7, course: '93.8% / 93%' },
          { key: 'dropout', title: 'dropout, rate 0.14', layers: net(0.14), course: '92.9% / 95% (other masks)' },
        ],
        dl.datasets.football(),
        30000,
        0.3,
      );
    } catch (e) {
      showErrorIn('regs-error', e);
    }
    b.disabled = false;
  });
}
