// The page's fit verdict (demo/verdict.ts): the cases the page got wrong — a 35-point gap called
// underfit because train was under 90%, and a test loss 30× the training loss called a good fit.
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../demo/verdict.js';

describe('the fit verdict', () => {
  it('a large gap is overfitting even when train is under 90%', () => {
    expect(verdictOf(0.86, 0.51).kind).toBe('overfit');
  });
  it('a test loss far above the training loss is overfitting, even with close accuracies', () => {
    const v = verdictOf(0.97, 0.95, { train: 0.02, test: 0.6 });
    expect(v.kind).toBe('overfit');
    expect(v.html).toMatch(/The test loss is 30\.0× the training loss/);
  });
  it('underfit only without a gap; good fit when train is high and both agree', () => {
    expect(verdictOf(0.7, 0.69, { train: 0.6, test: 0.62 }).kind).toBe('underfit');
    expect(verdictOf(0.95, 0.94, { train: 0.15, test: 0.18 }).kind).toBe('good');
    expect(verdictOf(0.95, 0.94).kind).toBe('good');
  });
});
