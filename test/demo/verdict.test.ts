// The page's fit verdict (demo/verdict.ts) on the cases the page got wrong, with the figures the
// review measured: a 35-point gap called underfit because train was under 90%, a test loss 30×
// the training loss and rising called a good fit. The causes (symmetry, dead units, saturation,
// vanishing, exploding, divergence) are checked on real runs in lessons.test.ts.
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../demo/verdict.js';

type Curve = [number, number][];

describe('the fit verdict', () => {
  it('a large gap is overfitting even when train is under 90% (64, 64 at noise 0.2: 86% / 51%)', () => {
    expect(verdictOf({ train: 0.86, test: 0.51, base: 0.5 }).kind).toBe('overfit');
  });

  it('a test loss far above the training loss is overfitting, even with close accuracies', () => {
    const v = verdictOf({ train: 0.97, test: 0.95, losses: { train: 0.02, test: 0.6 } });
    expect(v.kind).toBe('overfit');
    expect(v.html).toMatch(/The test loss is 30\.0× the training loss/);
  });

  it('a test loss that turned and rises while the training loss falls is the start of overfitting', () => {
    const train: Curve = [0, 1, 2, 3, 4, 5, 6].map((e) => [100 * e, 0.7 / (1 + 10 * e)]);
    const test: Curve = [0.7, 0.1, 0.02, 0.03, 0.04, 0.05, 0.06].map((v, e) => [100 * e, v]);
    const v = verdictOf({ train: 1, test: 0.99, losses: { train: 0.01, test: 0.06 }, curves: { train, test } });
    expect(v.kind).toBe('overfit');
    expect(v.html).toMatch(/risen 3\.0× since epoch 200/);
  });

  it('losses too small to mean anything do not make an overfit (1e-4 against 2.7e-4)', () => {
    expect(verdictOf({ train: 1, test: 1, losses: { train: 1.1e-4, test: 2.7e-4 } }).kind).toBe('good');
  });

  it("a constant answer's gap (the sets' class proportions differ) is not overfitting", () => {
    const v = verdictOf({ train: 0.533, test: 0.4, losses: { train: 0.691, test: 0.71 }, base: 0.533 });
    expect(v.kind).toBe('underfit');
  });

  it('underfit without a gap, with the capacity advice when no cause shows; good fit when both agree', () => {
    const u = verdictOf({ train: 0.7, test: 0.69, losses: { train: 0.6, test: 0.62 } });
    expect(u).toMatchObject({ kind: 'underfit', cause: null });
    expect(u.html).toMatch(/more capacity/);
    expect(verdictOf({ train: 0.95, test: 0.94, losses: { train: 0.15, test: 0.18 } }).kind).toBe('good');
    expect(verdictOf({ train: 0.95, test: 0.94 }).kind).toBe('good');
  });

  it('a run that diverged is named for it, with the epoch', () => {
    const v = verdictOf({ train: 0.53, test: 0.4, diverged: 3 });
    expect(v).toMatchObject({ kind: 'underfit', cause: 'divergence' });
    expect(v.html).toMatch(/Diverged at epoch 3/);
  });
});
