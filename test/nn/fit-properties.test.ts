// Property-based: random valid and invalid arguments to fit, evaluate, predict and gradCheck give
// either a correct result or an Error that names the offending argument, and after every Error
// the weights (byte for byte), the step count, the optimizer's state and backend.memory() are
// unchanged. FC_RUNS sets the runs per property and backend (default 200).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adam, dense, gradCheck, relu, sequential, sgd, sigmoid, type Sequential } from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

const RUNS = Number(process.env.FC_RUNS ?? 200);

function snapshot(model: Sequential) {
  const mem = model.backend.memory();
  return {
    weights: model.getWeights().map((w) => Array.from(new Uint8Array(w.data.buffer.slice(0)))),
    step: model.step,
    memory: [mem.tensors, mem.bytes],
  };
}

/** A value that is sometimes right for a numeric option and often not. */
const numberish = fc.oneof(
  fc.integer({ min: -3, max: 6 }),
  fc.double({ min: -2, max: 2, noNaN: false }),
  fc.constantFrom(NaN, Infinity, -Infinity, 1e39, null, '3', true, [], {}),
);
const label = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: -1, max: 2 }), fc.constantFrom(NaN, 1e39));
const entry = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, 1e39, -1e39) },
);

const fitArgs = fc.record({
  rows: fc.integer({ min: 1, max: 9 }),
  cols: fc.constantFrom(2, 2, 2, 3),
  extra: fc.constantFrom(0, 0, 0, 1),
  seed: fc.integer({ min: 0, max: 1000 }),
  labelRows: fc.constantFrom(0, 0, 0, 1),
  opts: fc.record(
    {
      epochs: numberish,
      batchSize: numberish,
      l2: numberish,
      shuffle: fc.constantFrom(true, false, 1, 'yes'),
      validationSplit: numberish,
      verbose: fc.constantFrom(0, 2),
      epoch: fc.constant(3),
      learningrate: fc.constant(0.1),
    },
    { requiredKeys: [] },
  ),
  optimizer: fc.constantFrom('sgd', 'adam', 'none', 'bogus'),
  lr: fc.constantFrom(0.01, 0.5, 1e30),
});

/** The names an error may give: the options, the data, or the values inside them. */
const NAMES =
  /^(fit|evaluate|predict|gradCheck)(:| ).*\b(epochs?|batchSize|l2|shuffle|validationSplit|verbose|optimizer|epoch|learningrate|learningRate|x|y|loss|training diverged|the loss became|became)\b/;

describe.each(CONFIGS)('properties of the public API on $label', ({ make }) => {
  it(`fit: a result or a named Error, and nothing changed after an Error (${RUNS} runs)`, async () => {
    const backend = await make();
    const model = sequential([dense(3), relu(), dense(1), sigmoid()], { inputSize: 2, backend, seed: 1 });
    const kept = adam({ learningRate: 0.05 });
    model.fit(
      [
        [0, 1],
        [1, 0],
      ],
      [0, 1],
      { loss: 'binaryCrossEntropy', optimizer: kept, epochs: 2 },
    );
    fc.assert(
      fc.property(
        fitArgs,
        fc.array(entry, { minLength: 40, maxLength: 40 }),
        fc.array(label, { minLength: 10, maxLength: 10 }),
        (a, values, labels) => {
          const x = { rows: a.rows, cols: a.cols, data: values.slice(0, a.rows * a.cols + a.extra) };
          const y = labels.slice(0, a.rows + a.labelRows);
          const optimizer =
            a.optimizer === 'sgd'
              ? sgd({ learningRate: a.lr })
              : a.optimizer === 'adam'
                ? kept
                : a.optimizer === 'bogus'
                  ? ('sgd' as never)
                  : undefined;
          const opts = {
            loss: 'binaryCrossEntropy' as const,
            ...(optimizer ? { optimizer } : {}),
            ...(a.opts as object),
          };
          const before = snapshot(model);
          try {
            const h = model.fit(x, y, opts);
            expect(h.loss.every(Number.isFinite)).toBe(true);
            expect(model.getWeights().every((w) => w.data.every(Number.isFinite))).toBe(true);
            expect(model.backend.memory().tensors).toBeLessThanOrEqual(before.memory[0] + 6 * 10 + 8);
          } catch (e) {
            expect(e).toBeInstanceOf(Error);
            expect((e as Error).message).toMatch(NAMES);
            expect(snapshot(model)).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS, seed: 42 },
    );
    // the optimizer kept across all of that still continues where its last successful fit left it
    const steps = model.step;
    expect(() =>
      model.fit(
        [
          [0, 1],
          [1, 0],
        ],
        [0, 1],
        { loss: 'binaryCrossEntropy', optimizer: kept },
      ),
    ).not.toThrow();
    expect(model.step).toBe(steps + 1);
  });

  it(`predict, evaluate, gradCheck: a result or a named Error, nothing changed (${RUNS} runs)`, async () => {
    const backend = await make();
    const model = sequential([dense(3), relu(), dense(1), sigmoid()], { inputSize: 2, backend, seed: 2 });
    const call = fc.constantFrom('predict', 'evaluate', 'gradCheck');
    const gopts = fc.record(
      { epsilon: numberish, threshold: numberish, maxChecks: numberish, l2: numberish, worst: numberish },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        call,
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(2, 3),
        fc.array(entry, { minLength: 18, maxLength: 18 }),
        fc.array(label, { minLength: 6, maxLength: 6 }),
        gopts,
        (op, rows, cols, values, labels, g) => {
          const x = { rows, cols, data: values.slice(0, rows * cols) };
          const y = labels.slice(0, rows);
          const before = snapshot(model);
          try {
            if (op === 'predict') expect(model.predict(x).data.every((v) => v >= 0 && v <= 1)).toBe(true);
            else if (op === 'evaluate') expect(Number.isFinite(model.evaluate(x, y).loss)).toBe(true);
            else
              expect(typeof gradCheck(model, x, y, { loss: 'binaryCrossEntropy', ...(g as object) }).passed).toBe(
                'boolean',
              );
            expect(model.getWeights().map((w) => Array.from(new Uint8Array(w.data.buffer.slice(0))))).toEqual(
              before.weights,
            );
          } catch (e) {
            expect(e).toBeInstanceOf(Error);
            expect((e as Error).message).toMatch(
              /^(predict|evaluate|gradCheck): .*\b(x|y|epsilon|threshold|maxChecks|l2|worst)\b/,
            );
            expect(snapshot(model)).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS, seed: 7 },
    );
  });
});
