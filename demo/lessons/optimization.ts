// Lessons 10–14: the optimization and normalization half of the course (mini-batches, averages,
// momentum, RMSprop and Adam, decay, normalizing inputs and layers, random search).
import { type Lesson, DEEP, accs, jitter, sci } from './common.ts';

export const OPTIMIZATION: Lesson[] = [
  {
    id: 'mini-batch',
    label: 'Batches of 16',
    title: 'Mini-batches: more steps, more noise',
    settings: { optimizer: 'sgd', lr: '0.3', batch: '16', epochs: '200' },
    contrasts: [{ label: 'full batch', settings: { optimizer: 'sgd', lr: '0.3', batch: '0', epochs: '200' } }],
    words: `A mini-batch gradient is an estimate from a few examples: an epoch of batches of 16 takes
      about 19 steps instead of one, each noisier. More steps per pass over the data learn faster; the
      noise shows as a jagged loss curve.`,
    figure: ([mb, full]) =>
      `After 200 epochs: training loss <strong>${sci(mb.losses.train)}</strong> with batches of 16, <strong>${sci(full.losses.train)}</strong> with the full batch.`,
  },
  {
    id: 'ewa',
    label: 'this run',
    title: 'Exponentially weighted averages and bias correction',
    settings: {},
    extra: 'ewa',
    words: `v<sub>t</sub> = β·v<sub>t−1</sub> + (1 − β)·θ<sub>t</sub> averages about the last 1/(1 − β)
      values, weighting each older one by another factor β. Started at v<sub>0</sub> = 0 it begins far too
      low; dividing by 1 − β<sup>t</sup> corrects the start and fades out as β<sup>t</sup> goes to 0.
      Momentum is this average of the gradients, RMSprop of their squares, Adam both, corrected.`,
  },
  {
    id: 'optimizers',
    label: 'SGD',
    title: 'Momentum, RMSprop and Adam',
    settings: { dataset: 'moons', noise: '0.2', optimizer: 'sgd', lr: '0.05', batch: '64', epochs: '300' },
    contrasts: [
      {
        label: 'momentum',
        settings: { dataset: 'moons', noise: '0.2', optimizer: 'momentum', lr: '0.05', batch: '64', epochs: '300' },
      },
      {
        label: 'RMSprop',
        settings: { dataset: 'moons', noise: '0.2', optimizer: 'rmsprop', lr: '0.005', batch: '64', epochs: '300' },
      },
      {
        label: 'Adam',
        settings: { dataset: 'moons', noise: '0.2', optimizer: 'adam', lr: '0.005', batch: '64', epochs: '300' },
      },
    ],
    words: `Same data, same first weights. Momentum steps along an average of recent gradients
      (v = βv + (1−β)g), so zig-zags cancel and steady directions add up. RMSprop divides each weight's
      step by the root of its recent squared gradients, evening out steep and flat directions. Adam does
      both, with bias correction for the averages' start at 0.`,
    figure: (runs) =>
      `Training loss after 300 epochs: ${runs.map((r) => `${r.label} <strong>${sci(r.losses.train)}</strong>`).join(', ')}.`,
  },
  {
    id: 'lr-decay',
    label: 'decay 0.05',
    title: 'Learning-rate decay',
    settings: { optimizer: 'sgd', lr: '1', batch: '16', epochs: '300', decay: '0.05' },
    contrasts: [{ label: 'constant rate', settings: { optimizer: 'sgd', lr: '1', batch: '16', epochs: '300' } }],
    words: `With mini-batches the steps stay noisy, so a constant rate keeps jumping around the minimum
      instead of settling in it. Decay shrinks the rate as training goes, lr/(1 + decay·epoch): big steps
      early, small ones late, when the network is close.`,
    figure: ([d, c]) =>
      `Training loss over the last 100 epochs moves by <strong>${sci(jitter(d.curves.train))}</strong> a point with decay, <strong>${sci(jitter(c.curves.train))}</strong> without; it ends at ${sci(d.losses.train)} against ${sci(c.losses.train)}.`,
  },
  {
    id: 'input-norm',
    label: 'this run',
    title: 'Normalizing the inputs',
    settings: {},
    extra: 'contours',
    words: `A feature in the tens and one below 1 make the cost a long thin valley over the weights: the
      step size the steep side allows barely moves along the valley's floor. Subtract each feature's
      mean and divide by its standard deviation (using the training set's, for test points too) and
      the valley turns round: gradient descent goes straight to the bottom.`,
  },
  {
    id: 'batch-norm',
    label: 'batch norm',
    title: 'Batch norm: a deep sigmoid stack that learns',
    settings: { hidden: DEEP, activation: 'sigmoid', init: 'xavier', norm: 'batch' },
    contrasts: [{ label: 'without', settings: { hidden: DEEP, activation: 'sigmoid', init: 'xavier' } }],
    words: `Batch norm standardizes each layer's inputs over the mini-batch (then scales and shifts them
      by a learned γ and β), so every sigmoid works in its steep middle whatever the layers below did.
      The gradient then reaches the first layers: the ten-deep sigmoid stack that vanishing gradients
      kept at chance learns.`,
    figure: ([bn, none]) =>
      `${accs(bn)}; ${accs(none)}. Training loss now: <strong>${sci(bn.losses.train)}</strong> with batch norm, <strong>${sci(none.losses.train)}</strong> without.`,
  },
  {
    id: 'random-search',
    label: 'this run',
    title: 'Random search on a log scale',
    settings: {},
    extra: 'search',
    words: `A learning rate matters by its order of magnitude: 0.001 and 0.01 differ as much as 1 and
      10. Drawing it uniformly on [0.001, 10] spends 90% of the trials in the last decade; drawing its
      logarithm uniformly gives each decade the same share. Train each draw briefly, keep the best,
      and search again around it.`,
  },
];
