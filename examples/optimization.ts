// Tour section (d): the course's optimization notebook (course 2, week 2), its seven runs: moons
// (300 points, noise 0.2, seed 3), 2→5→2→1 with He initialization, mini-batches of 64 in the
// notebook's order (numpy's permutation seeded 11, 12, …), 5000 epochs, and the course's printed
// costs (six decimals) and training accuracies beside ours.
import {
  type Backend,
  type Optimizer,
  adam,
  datasets,
  dense,
  momentum,
  numpyShuffle,
  relu,
  sequential,
  sgd,
  sigmoid,
} from 'dl-fundamentals';

// The notebook sets the rate after each epoch, so epoch e trains with decay(lr0, e − 1).
const lagged = (lr0: number, decay: (lr0: number, e: number) => number) => (e: number) =>
  e === 0 ? lr0 : decay(lr0, e - 1);
const updateLr = (lr0: number, e: number) => (1 / (1 + 1 * e)) * lr0;
const scheduleLrDecay = (lr0: number, e: number) => (1 / (1 + 1 * Math.floor(e / 1000))) * lr0;

interface NotebookRun {
  name: string;
  optimizer: () => Optimizer;
  /** the course's printed costs at epochs 0, 1000, …, 4000 and accuracy */
  course: string;
  /** what the notebook copy printed, where it differs (its Adam put ε inside the square root) */
  copy?: string;
}

const RUNS: NotebookRun[] = [
  {
    name: 'gd, lr 0.0007',
    optimizer: () => sgd({ learningRate: 0.0007 }),
    course: '0.702405 0.668101 0.635288 0.600491 0.573367 0.7166666666666667',
  },
  {
    name: 'momentum β 0.9',
    optimizer: () => momentum({ learningRate: 0.0007, beta: 0.9 }),
    course: '0.702413 0.668167 0.635388 0.600591 0.573444 0.7166666666666667',
  },
  {
    name: 'adam',
    optimizer: () => adam({ learningRate: 0.0007 }),
    course: '0.702166 0.167845 0.141316 0.138788 0.136066',
    copy: '0.702166 0.167966 0.141320 0.138782 0.136111 0.9433333333333334',
  },
  {
    name: 'gd, update_lr',
    optimizer: () => sgd({ learningRate: lagged(0.1, updateLr) }),
    course: '0.701091 0.661884 0.658620 0.656765 0.655486 0.6533333333333333',
  },
  {
    name: 'gd, schedule_lr_decay',
    optimizer: () => sgd({ learningRate: lagged(0.1, scheduleLrDecay) }),
    course: '0.701091 0.127161 0.120304 0.117033 0.117512 0.9433333333333334',
  },
  {
    name: 'momentum, schedule',
    optimizer: () => momentum({ learningRate: lagged(0.1, scheduleLrDecay), beta: 0.9 }),
    course: '0.702226 0.128974 0.125965 0.123375 0.123218 0.9533333333333334',
  },
  {
    name: 'adam, schedule',
    optimizer: () => adam({ learningRate: lagged(0.01, scheduleLrDecay) }),
    course: '0.699346 0.130074 0.129826 0.129282 0.128361',
    copy: '0.699346 0.130064 0.129811 0.129325 0.128041 0.94',
  },
];

/** Runs the seven configurations; returns the lines to print and the milliseconds spent training. */
export function optimizationLesson(backend: Backend): { lines: string[]; ms: number } {
  const { x, y } = datasets.moons({ samples: 300, noise: 0.2, seed: 3 });
  const lines = ['run                     costs at epoch 0, 1000, 2000, 3000, 4000     train accuracy        ms'];
  let ms = 0,
    same = 0,
    compared = 0;
  for (const run of RUNS) {
    const model = sequential(
      [dense(5, { init: 'he' }), relu(), dense(2, { init: 'he' }), relu(), dense(1, { init: 'he' }), sigmoid()],
      { inputSize: 2, backend, seed: 3 },
    );
    const t = performance.now();
    const h = model.fit(x, y, {
      loss: 'binaryCrossEntropy',
      optimizer: run.optimizer(),
      epochs: 5000,
      batchSize: 64,
      shuffle: numpyShuffle({ seed: 10 }),
    });
    const took = performance.now() - t;
    ms += took;
    const ours = [0, 1000, 2000, 3000, 4000].map((e) => h.loss[e].toFixed(6));
    const acc = model.evaluate(x, y).accuracy;
    model.dispose();
    const course = run.course.split(' ');
    compared += 5 + (course.length > 5 ? 1 : 0);
    same += ours.filter((c, i) => c === course[i]).length + (course.length > 5 && String(acc) === course[5] ? 1 : 0);
    lines.push(`${run.name.padEnd(22)}  ${ours.join(' ')}   ${String(acc).padEnd(20)} ${took.toFixed(0).padStart(5)}`);
    const label = run.copy ? '  course (official)' : '  course printed';
    lines.push(`${label.padEnd(22)}  ${course.slice(0, 5).join(' ')}   ${course[5] ?? '(not given)'}`);
    if (run.copy) {
      const copy = run.copy.split(' ');
      lines.push(`${'  notebook copy'.padEnd(22)}  ${copy.slice(0, 5).join(' ')}   ${copy[5]}`);
    }
  }
  lines.push(
    '',
    `${same} of ${compared} printed figures equal to the digit. The copy's Adam put ε inside the square root,`,
    'lr·v̂/√(ŝ + ε), and failed its own test cell; the course and adam() use lr·v̂/(√ŝ + ε), so its costs differ',
    'from the 4th decimal. The notebook sets the rate after each epoch: learningRate: (e) => e === 0 ? lr0 : decay(lr0, e − 1).',
  );
  return { lines, ms };
}
