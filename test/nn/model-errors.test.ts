// Bad input to the model API: a clear error naming what is wrong, the weights unchanged.
import { describe, expect, it } from 'vitest';
import { dense, dropout, momentum, adam, relu, sequential, sgd, sigmoid, softmax } from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

describe.each(CONFIGS)('model bad input on $label', ({ make }) => {
  it('refuses bad data and options and leaves the weights as they were', async () => {
    const backend = await make();
    const model = sequential([dense(3), relu(), dense(1), sigmoid()], { inputSize: 2, backend, seed: 1 });
    const before = model.getWeights();
    const x = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const y = [0, 1, 1];
    const fit =
      (o: object, xx: unknown = x, yy: unknown = y) =>
      () =>
        model.fit(xx as number[][], yy as number[], { loss: 'binaryCrossEntropy', epochs: 2, ...o });
    expect(fit({}, [[1, 2, 3]], [1])).toThrow(/x has 3 columns \[1×3\], the model takes 2 inputs/);
    expect(fit({}, x, [0, 1])).toThrow(/x has 3 examples but y has 2/);
    expect(
      fit({}, [
        [1, NaN],
        [3, 4],
        [5, 6],
      ]),
    ).toThrow(/x\[0\]\[1\] is NaN, not a finite number/);
    expect(
      fit({}, [
        [1, 2],
        [3, Infinity],
        [5, 6],
      ]),
    ).toThrow(/x\[1\]\[1\] is Infinity/);
    expect(fit({}, x, [0, NaN, 1])).toThrow(/y\[1\] is NaN/);
    expect(
      fit({}, x, [
        [0, 1],
        [1, 0],
        [0, 1],
      ]),
    ).toThrow(/y has 2 columns \[3×2\], the model has 1 outputs/);
    expect(() => sgd({ learningRate: 0 })).toThrow(/sgd: learningRate must be a finite number > 0, got 0/);
    expect(() => sgd({ learningRate: -0.1 })).toThrow(/got -0.1/);
    expect(() => momentum({ beta: 1 })).toThrow(/momentum: beta must be a finite number ≥ 0 and < 1, got 1/);
    expect(() => adam({ learningRate: NaN })).toThrow(/adam: learningRate must be a finite number > 0, got NaN/);
    expect(() => dropout(1)).toThrow(/dropout: rate must be in \[0, 1\), got 1/);
    expect(() => dropout(-0.1)).toThrow(/rate must be in \[0, 1\), got -0.1/);
    expect(fit({ loss: 'hinge' })).toThrow(/unknown loss "hinge"; use one of 'binaryCrossEntropy'/);
    expect(fit({ loss: 'categoricalCrossEntropy' })).toThrow(
      /categoricalCrossEntropy is computed from the logits of a final softmax\(\) layer; this model ends in sigmoid/,
    );
    expect(fit({ optimizer: 'sgd' })).toThrow(
      /optimizer is "sgd", not one of sgd\(\), momentum\(\), rmsprop\(\), adagrad\(\), adam\(\)/,
    );
    expect(fit({ epochs: 0 })).toThrow(/epochs must be a positive integer, got 0/);
    expect(fit({ batchSize: 1.5 })).toThrow(/batchSize must be a positive integer, got 1.5/);
    expect(fit({ l2: -1 })).toThrow(/fit: l2 must be a finite number ≥ 0, got -1/);
    expect(() => dense(3, { init: 'glorot' as 'he' })).toThrow(
      /unknown initializer "glorot"; use one of 'zeros', 'random', 'he', 'xavier'/,
    );
    expect(() => dense(0)).toThrow(/dense: units must be a positive integer, got 0/);
    expect(() => model.setWeights(before.slice(1))).toThrow(
      /expected 4 weights \(dense1.W, dense1.b, dense2.W, dense2.b\), got 3/,
    );
    const wrong = before.map((w) => ({ ...w }));
    wrong[2] = { name: 'dense2.W', shape: [3, 1], data: new Float64Array(3) };
    expect(() => model.setWeights(wrong)).toThrow(/dense2.W has shape \[3×1\], the model's is \[1×3\]/);
    const nan = before.map((w) => ({ ...w, data: w.data.slice() }));
    nan[2].data[1] = NaN;
    expect(() => model.setWeights(nan)).toThrow(/dense2.W\[1\] is NaN, not a finite number/);
    const rowBias = before.map((w) => (w.name === 'dense1.b' ? { ...w, shape: [1, 3] } : w));
    expect(() => model.setWeights(rowBias)).toThrow(/dense1.b has shape \[1×3\], the model's is \[3\]/);
    expect(() => model.setWeights([null, ...before.slice(1)] as never)).toThrow(/weight 0 \(dense1.W\) is null/);
    expect(() => model.predict([[1]])).toThrow(/x has 1 columns/);
    expect(() => sequential([dense(2), softmax()], { inputSize: 0, backend })).toThrow(
      /inputSize must be a positive integer, got 0/,
    );
    expect(() => sequential([], { inputSize: 2, backend })).toThrow(/at least one layer/);
    expect(() => sequential([dense(2)], { inputSize: 2, backend: {} as typeof backend })).toThrow(
      /backend must be a backend from createBackend/,
    );
    expect(model.getWeights()).toEqual(before);
    expect(model.step).toBe(0);
  });

  it('a run that diverges stops with an error naming the epoch', async () => {
    const backend = await make();
    const model = sequential([dense(1, { init: 'random', scale: 3 })], { inputSize: 2, backend, seed: 1 });
    const x = [
      [30, -20],
      [10, 40],
      [-25, 5],
    ];
    expect(() =>
      model.fit(x, [1, 2, 3], { loss: 'meanSquaredError', optimizer: sgd({ learningRate: 5 }), epochs: 5000 }),
    ).toThrow(
      /fit: (the loss became (NaN|Infinity)|dense1\.[Wb]\[\d\] became -?Infinity in the update): training diverged.* at epoch \d+, batch 0; the model was restored/,
    );
  });
});
