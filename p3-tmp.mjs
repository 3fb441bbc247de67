import * as dl from './dist/index.js';
const be = await dl.createBackend('wasm', { dtype: 'float64' });
const model = dl.sequential([dl.dense(10, { init: 'he' }), dl.relu(), dl.dense(5, { init: 'he' }), dl.relu(), dl.dense(1, { init: 'he' }), dl.sigmoid()], { inputSize: 2, backend: be, seed: 3 });
const d = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
const t0 = performance.now(); model.fit(d.x, d.y, { loss: 'binaryCrossEntropy', epochs: 15000, learningRate: 0.01 }); console.log('per epoch', ((performance.now() - t0) / 15), 'us');
