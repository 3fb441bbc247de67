import * as dl from '../dist/index.js';
const be = await dl.createBackend('wasm', { dtype: 'float32' });
const all = dl.datasets.circles({ samples: 400, noise: 0.05, seed: 1 });
const { train, test } = dl.datasets.trainTestSplit(all, { testFraction: 0.25, seed: 1 });
for (const [name, opt] of [['sgd 0.01', dl.sgd({learningRate:0.01})], ['sgd 0.3', dl.sgd({learningRate:0.3})], ['sgd 1', dl.sgd({learningRate:1})], ['mom 0.1', dl.momentum({learningRate:0.1})], ['mom 0.3', dl.momentum({learningRate:0.3})], ['adam 0.01', dl.adam({learningRate:0.01})]]) {
  const m = dl.sequential([dl.dense(10), dl.relu(), dl.dense(5), dl.relu(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend: be, seed: 1 });
  m.fit(train.x, train.y, { loss: 'binaryCrossEntropy', optimizer: opt, epochs: 1000 });
  console.log(name, m.evaluate(train.x, train.y).accuracy.toFixed(3), m.evaluate(test.x, test.y).accuracy.toFixed(3));
}
const f = dl.datasets.football();
const t0 = Date.now();
for (const [name, hidden, l2, rate] of [['20,3', [20,3], 0, 0], ['100,100', [100,100], 0, 0], ['100,100 l2', [100,100], 0.7, 0], ['100,100 drop', [100,100], 0, 0.14], ['3', [3], 0, 0], ['1', [1], 0, 0]]) {
  const L = []; for (const h of hidden) { L.push(dl.dense(h, {init:'xavier'}), dl.relu()); if (rate) L.push(dl.dropout(rate)); } L.push(dl.dense(1,{init:'xavier'}), dl.sigmoid());
  const m = dl.sequential(L, { inputSize: 2, backend: be, seed: 3 });
  const t = Date.now();
  m.fit(f.train.x, f.train.y, { loss: 'binaryCrossEntropy', optimizer: dl.adam({learningRate: 0.01}), epochs: 2000, l2 });
  console.log(name, m.evaluate(f.train.x, f.train.y).accuracy.toFixed(3), m.evaluate(f.test.x, f.test.y).accuracy.toFixed(3), Date.now()-t, 'ms');
}
