// Bad input: a clear Error that names what is wrong; other tensors untouched.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

describe.each(CONFIGS)('bad input on $label', ({ make }) => {
  it('matmul shape mismatch names both shapes', async () => {
    const be = await make();
    const a = be.zeros(2, 3),
      b = be.zeros(4, 5);
    expect(() => be.matmul(a, b)).toThrow(/\[2×3\].*\[4×5\]/);
    expect(() => be.matmul(a, b, { transB: true })).toThrow(/inner dimensions differ/);
    expect(() => be.matmul(a, be.zeros(3, 3), { out: be.zeros(3, 3) })).toThrow(
      /out is \[3×3\], the result is \[2×3\]/,
    );
    expect(() => be.addBias(a, be.zeros(1, 2))).toThrow(/bias \[1×2\] must be \[1×3\]/);
    expect(() => be.addBias(a, be.zeros(1, 3), undefined, 'softmax' as 'relu')).toThrow(
      /then must be 'relu', 'sigmoid', 'tanh' or left out, got "softmax"/,
    );
    expect(() => be.mul(a, be.zeros(3, 2))).toThrow(/\[2×3\].*\[3×2\]/);
    expect(() => be.matmul(a, a, { transb: true } as object)).toThrow(
      'matmul: unknown option "transb"; did you mean "transB"?',
    );
    expect(() => be.matmul(a, a, { transB: 1 } as object)).toThrow('matmul: transB must be true or false, got 1');
  });

  it('sizes that are not positive integers, short data, bad rows', async () => {
    const be = await make();
    expect(() => be.zeros(0, 3)).toThrow(/rows must be a positive integer, got 0/);
    expect(() => be.zeros(2.5, 3)).toThrow(/positive integer, got 2.5/);
    expect(() => be.zeros(2, -1)).toThrow(/cols must be a positive integer, got -1/);
    expect(() => be.tensor({ rows: 2, cols: 3, data: new Float32Array(5) })).toThrow(
      /5 values, fewer than rows×cols = 2×3 = 6/,
    );
    expect(() => be.tensor([[1, 2], [3]])).toThrow(/row 1 has 1 entries, row 0 has 2/);
    expect(() => be.tensor([])).toThrow(/no rows/);
    expect(() => be.tensor([[1, 'x' as unknown as number]])).toThrow(/\[0\]\[1\] is "x"/);
    expect(() => be.scale(be.zeros(1, 1), NaN)).toThrow(/alpha must be a finite number, got NaN/);
  });

  it('a disposed tensor, or one from another backend or dtype, is refused', async () => {
    const be = await make();
    const other = await createBackend(be.name === 'js' ? 'wasm' : 'js', { dtype: be.dtype });
    const otherDtype = await createBackend(be.name, { dtype: be.dtype === 'float32' ? 'float64' : 'float32' });
    const keep = be.tensor([
      [1, 2],
      [3, 4],
    ]);
    const gone = be.tensor([
      [1, 2],
      [3, 4],
    ]);
    gone.dispose();
    expect(() => be.relu(gone)).toThrow(/was disposed/);
    expect(() => gone.toMatrix()).toThrow(/was disposed/);
    expect(() => be.matmul(keep, other.tensor([[1], [2]]))).toThrow(/belongs to the .* backend, not this/);
    expect(() => be.matmul(keep, otherDtype.tensor([[1], [2]]))).toThrow(/float(32|64) backend, not this/);
    expect(() => be.matmul(keep, keep, { out: keep })).toThrow(/out must not be one of the inputs/);
    expect(Array.from(keep.toMatrix().data)).toEqual([1, 2, 3, 4]);
    expect(be.memory().tensors).toBe(1);
  });

  it('createBackend refuses unknown names and dtypes', async () => {
    await expect(createBackend('gpu' as 'js')).rejects.toThrow(/unknown backend "gpu"/);
    await expect(createBackend('js', { dtype: 'int8' as 'float32' })).rejects.toThrow(
      /dtype must be 'float32' or 'float64', got "int8"/,
    );
  });
});
