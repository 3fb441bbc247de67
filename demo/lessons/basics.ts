// Lessons 1–9: the first half of the course (activations, the output layer, initialization,
// vanishing and exploding gradients, fitting and regularization).
import { type Lesson, DEEP, OVERFIT, accs, hiddenOf, pct, sci, stds, wNorm } from './common.ts';

export const BASICS: Lesson[] = [
  {
    id: 'nonlinear',
    label: 'Linear',
    title: 'Why non-linear activations',
    settings: { activation: 'linear' },
    contrasts: [{ label: 'ReLU', settings: {} }],
    words: `With a linear activation every layer is a matrix product, and a product of matrices is one
      matrix: however many layers, the network computes σ(w·x + b), and its boundary w·x + b = 0 is a
      straight line. No line splits a circle from its ring. ReLU bends each unit at a line of its own,
      and the next layer adds the bends into a closed curve.`,
    figure: ([lin, relu]) => `${accs(lin)} — one straight boundary. ${accs(relu)}, the same layers with ReLU.`,
  },
  {
    id: 'output',
    label: 'Spirals',
    title: 'The output layer: sigmoid or softmax',
    settings: { dataset: 'spirals', hidden: '32, 32' },
    contrasts: [{ label: 'moons, sigmoid', settings: { dataset: 'moons' } }],
    words: `The last layer's scores become probabilities. With two classes one number is enough:
      sigmoid 1/(1 + e<sup>−z</sup>) gives P(class 1), trained with binary cross-entropy. With three
      or more, softmax e<sup>z<sub>k</sub></sup>/Σ e<sup>z<sub>j</sub></sup> gives one probability per
      class, adding to 1, trained with categorical cross-entropy. Point at the boundary plot to read them.`,
    figure: ([spirals, moons]) =>
      `Spirals, 3 classes, softmax: ${pct(spirals.test)} of test points right. Moons, 2 classes, one sigmoid unit: ${pct(moons.test)}.`,
  },
  {
    id: 'zeros-symmetry',
    label: 'Zeros',
    title: 'Zeros: symmetry',
    settings: { activation: 'sigmoid', init: 'zeros' },
    contrasts: [{ label: 'Xavier', settings: { activation: 'sigmoid', init: 'xavier' } }],
    words: `Start every weight at 0 and every unit of a layer computes the same function. Backprop then
      gives each the same gradient, so they take the same step and stay identical, epoch after epoch: a
      layer of ten units is as good as one. Random initial weights break the symmetry.`,
    figure: ([zeros, xavier]) =>
      `From zeros, after training: distinct units ${hiddenOf(zeros)
        .map((l) => `${l.name} <strong>${l.distinctUnits} of ${l.units}</strong>`)
        .join(', ')}; ${accs(zeros)}. ${accs(xavier)}.`,
  },
  {
    id: 'zeros-dead',
    label: 'Zeros',
    title: 'Zeros with ReLU: dead units',
    settings: { init: 'zeros' },
    words: `With ReLU, zeros are worse than symmetric: every unit outputs relu(0) = 0 on every example,
      its slope there is taken as 0, and so no gradient reaches any weight. Nothing learns at all: the
      output is the class proportions. These are dead units; He initialization keeps them alive.`,
    figure: ([z]) =>
      `After training: ‖∂W‖ ${z.layers.map((l) => `${l.name} <strong>${sci(l.gradientNorm)}</strong>`).join(', ')}; dead units ${hiddenOf(
        z,
      )
        .map((l) => pct(l.activation?.dead ?? 0))
        .join(', ')}; ${accs(z)}.`,
  },
  {
    id: 'large-random',
    label: 'Random ×10',
    title: 'Large random weights: saturation',
    settings: { activation: 'tanh', init: 'random', scale: '10', optimizer: 'sgd', lr: '0.1' },
    contrasts: [{ label: 'Xavier', settings: { activation: 'tanh', init: 'xavier', optimizer: 'sgd', lr: '0.1' } }],
    words: `Weights ×10 make each unit's input large, and tanh of a large input is ±1 on its flat tails,
      where its slope is almost 0 (the histograms pile up at the ends). Gradients through a saturated unit
      are tiny, so plain gradient descent crawls. Xavier scales the weights by √(1/n) so inputs stay
      near the steep middle.`,
    figure: ([big, xav]) =>
      `At epoch 0, outputs saturated: ×10 ${big.first
        .slice(0, -1)
        .map((l) => `${l.name} <strong>${pct(l.activation?.saturated ?? 0)}</strong>`)
        .join(', ')}; Xavier ${xav.first
        .slice(0, -1)
        .map((l) => pct(l.activation?.saturated ?? 0))
        .join(
          ', ',
        )}. Training loss now: ×10 <strong>${sci(big.losses.train)}</strong>, Xavier <strong>${sci(xav.losses.train)}</strong>.`,
  },
  {
    id: 'he',
    label: 'He',
    title: 'He and Xavier: keeping the signal’s scale',
    settings: { hidden: DEEP, init: 'he' },
    contrasts: [{ label: 'random ×1', settings: { hidden: DEEP, init: 'random', scale: '1' } }],
    words: `Each unit sums n inputs; with weights of variance v its output's variance is about n·v times
      its input's. ReLU zeroes half, so He picks v = 2/n: the product stays 1 and the signal keeps its
      scale through any depth (Xavier's v = 1/n does the same for tanh). With v = 1 it grows by √(n/2)
      a layer.`,
    figure: ([he, big]) =>
      `Standard deviation of each hidden layer's outputs at epoch 0: He <strong>${stds(he.first).join(' → ')}</strong>; random ×1 <strong>${stds(big.first).join(' → ')}</strong>.`,
  },
  {
    id: 'vanishing',
    label: 'Sigmoid ×10 layers',
    title: 'Vanishing gradients',
    settings: { hidden: DEEP, activation: 'sigmoid', init: 'xavier' },
    words: `Backprop multiplies the gradient by each layer's weights and by the activation's slope on the
      way down. Sigmoid's slope is at most ¼, so ten layers shrink it by 4<sup>10</sup> or more: the first
      layers get almost nothing and barely move. ReLU (slope 1), He init and batch norm keep it alive.`,
    figure: ([v]) => {
      const g0 = v.first.map((l) => l.gradientNorm);
      return `‖∂W‖ at epoch 0, first layer to last: <strong>${g0.map(sci).join(' → ')}</strong>; ${v.layers[0].name}'s is <strong>${sci(g0[0] / Math.max(...g0))}</strong> of the largest. ${accs(v)}.`;
    },
  },
  {
    id: 'exploding',
    label: 'Random ×1, SGD',
    title: 'Exploding gradients',
    settings: { hidden: DEEP, init: 'random', scale: '1', optimizer: 'sgd', lr: '0.01' },
    words: `The same product can grow instead: weights of variance 1 multiply the signal by about √(n/2) a
      layer on the way up and the gradient on the way down, so at depth ten a step of plain gradient
      descent is huge and the loss jumps. He initialization (variance 2/n) keeps the product near 1.`,
    figure: ([x]) =>
      `‖∂W‖ at epoch 0, first layer to last: <strong>${x.first.map((l) => sci(l.gradientNorm)).join(' → ')}</strong>. Training loss: first <strong>${sci(x.curves.train[0]?.[1] ?? NaN)}</strong>, now <strong>${sci(x.losses.train)}</strong>.`,
  },
  {
    id: 'gradcheck',
    label: 'this run',
    title: 'Gradient checking',
    settings: {},
    extra: 'gradcheck',
    words: `Backprop's gradient can be checked against the definition of a derivative: nudge one weight
      by ±ε and see how the cost moves, (J(θ + ε) − J(θ − ε)) / 2ε. Over every weight the relative
      difference ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) is about ε² when backprop is right,
      1e-3 or more when it is wrong, and the worst entries point at the layer. At a ReLU's kink the
      two sides' slopes differ, so entries within ε of one are left out.`,
  },
  {
    id: 'underfit',
    label: '1 unit',
    title: 'Underfit: too little capacity',
    settings: { hidden: '1' },
    contrasts: [{ label: '10, 5 units', settings: {} }],
    words: `One hidden unit draws one bent line: the ring around the circle cannot be fitted, not even on
      the training points. The training accuracy itself stays low (high bias). More units or layers, or
      more epochs, fit it.`,
    figure: ([one, more]) => `${accs(one)}. ${accs(more)}.`,
  },
  {
    id: 'overfit',
    label: '64, 64 units',
    title: 'Overfit: the noise learned',
    settings: OVERFIT,
    words: `Two hundred noisy points and 4,400 weights: the network can bend its boundary around every
      point, noise included. Training accuracy reaches 100% while the test points, with their own noise,
      fall on the wrong side: the gap between the two is the variance, and the test loss climbs.`,
    figure: ([o]) =>
      `${accs(o)}; gap <strong>${(100 * (o.train - o.test)).toFixed(1)} points</strong>, test loss ${(o.losses.test / o.losses.train).toFixed(0)}× the training loss.`,
  },
  {
    id: 'l2',
    label: 'L2',
    title: 'L2: smaller weights, a smoother boundary',
    settings: { ...OVERFIT, reg: 'l2', lambda: '0.7' },
    contrasts: [{ label: 'no regularization', settings: OVERFIT }],
    words: `L2 adds λ/(2m)·Σ‖W‖² to the cost, so every step also shrinks each weight by a fraction
      (weight decay). Small weights cannot bend the boundary around single points, and the gap closes.`,
    figure: ([l2, none]) =>
      `‖W‖: <strong>${sci(wNorm(l2.layers))}</strong> with L2, <strong>${sci(wNorm(none.layers))}</strong> without (both ${sci(wNorm(l2.first))} at the start). Gap: <strong>${(100 * (l2.train - l2.test)).toFixed(1)}</strong> against <strong>${(100 * (none.train - none.test)).toFixed(1)} points</strong>.`,
  },
  {
    id: 'dropout',
    label: 'Dropout',
    title: 'Dropout: no unit to lean on',
    settings: { ...OVERFIT, reg: 'dropout', rate: '0.5' },
    contrasts: [{ label: 'no regularization', settings: OVERFIT }],
    words: `Dropout switches off a random half of the hidden units at every step (and scales the rest by
      2), so no unit can rely on another being there: each learns something useful alone. At test time
      every unit is on. The boundary gets less room to memorize points.`,
    figure: ([d, none]) =>
      `Gap: <strong>${(100 * (d.train - d.test)).toFixed(1)} points</strong> with dropout, <strong>${(100 * (none.train - none.test)).toFixed(1)}</strong> without; test loss ${(d.losses.test / d.losses.train).toFixed(1)}× the training loss against ${(none.losses.test / none.losses.train).toFixed(0)}×.`,
  },
];
