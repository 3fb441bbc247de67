// The fit verdict the page prints: overfit, underfit or a good fit. The gap between train and test
// is looked at first (a model can overfit without fitting its training set well), and, when the
// losses are given, a test loss far above the training loss counts as overfitting even while the
// accuracies still agree (the loss moves first).

export type Verdict = { kind: 'underfit' | 'overfit' | 'good'; html: string };

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** From the accuracies (0…1) and, if given, the losses on the same train and test sets. */
export function verdictOf(train: number, test: number, losses?: { train: number; test: number }): Verdict {
  const gap = 100 * (train - test);
  const nums = `train <strong>${pct(train)}</strong>, test <strong>${pct(test)}</strong>, gap <strong>${gap.toFixed(1)} points</strong>`;
  const lossRatio = losses && losses.train > 0 ? losses.test / losses.train : 1;
  if (gap > 4 || lossRatio > 2) {
    const why =
      gap > 4
        ? "It learned the training points' noise"
        : `The test loss is ${lossRatio.toFixed(1)}× the training loss: it is learning the training points' noise`;
    return {
      kind: 'overfit',
      html: `<span class="verdict-overfit">Overfit</span>: ${nums}. ${why}: L2, dropout or a smaller network close the gap.`,
    };
  }
  if (train < 0.9)
    return {
      kind: 'underfit',
      html: `<span class="verdict-underfit">Underfit</span>: ${nums}. The model does not fit even the examples it trains on: more units or epochs, less regularization.`,
    };
  return { kind: 'good', html: `<span class="verdict-good">Good fit</span>: ${nums}.` };
}
