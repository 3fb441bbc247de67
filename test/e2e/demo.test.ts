// The demo page end to end: built by Vite, served from a sub-path by a plain static server,
// driven in a headless browser (Chromium, or Firefox with DL_BROWSER=firefox). Screenshots go
// to test-results/ (Firefox's with a -firefox suffix).
import { availableParallelism } from 'node:os';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBrowser, sleep } from './browser-helpers.js';
import { type DemoPage, formHelpers, openDemo, shotPath } from './demo-page.js';

const choice = chooseBrowser();
const shot = (name: string) => shotPath(choice, name);

describe(`the demo page in ${choice.name} (${choice.source})`, () => {
  let demo: DemoPage;
  let page: Page;
  let errors: string[];
  let missing: string[];

  beforeAll(async () => {
    demo = await openDemo(choice, 'some/sub-path');
    ({ page, errors, missing } = demo);
    await page.goto(demo.url);
    await statusIs('ready');
  }, 120000);

  afterAll(() => demo?.close());

  const { text, fill, statusIs } = formHelpers(() => page);
  const count = (sel: string) => page.$$eval(sel, (es) => es.length);
  /** Waits until a comparison card shows its test accuracy. */
  const cardDone = (sel: string, timeout: number) =>
    page.waitForFunction(
      (s) => {
        const t = document.querySelector(s)?.textContent;
        return t !== undefined && t !== '…';
      },
      { timeout },
      `${sel} .test-acc`,
    );

  it('a default run trains with fitAsync and never blocks the page for a long task (over 50 ms)', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; waits: number[]; watching: boolean };
      w.longTasks = [];
      // Chromium reports tasks of 50 ms and more; Firefox has no such entries
      if (PerformanceObserver.supportedEntryTypes.includes('longtask')) {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push(e.duration);
        }).observe({ type: 'longtask' });
      }
      // in every engine: how long each message posted while training waits to be handled. It
      // queues behind what is running (fitAsync yields through the same kind of task), so it
      // waits about as long as the task in front of it, plus any rendering and garbage collection
      w.waits = [];
      w.watching = true;
      const ping = new MessageChannel();
      let posted = 0;
      ping.port1.onmessage = () => {
        w.waits.push(performance.now() - posted);
        if (w.watching) {
          posted = performance.now();
          ping.port2.postMessage(0);
        }
      };
      posted = performance.now();
      ping.port2.postMessage(0);
    });
    await page.click('#start');
    await statusIs('done', 60000);
    expect(await text('#epoch')).toBe('1000');
    const { longTasks, waits, observed } = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; waits: number[]; watching: boolean };
      w.watching = false;
      return {
        longTasks: w.longTasks,
        waits: w.waits,
        observed: PerformanceObserver.supportedEntryTypes.includes('longtask'),
      };
    });
    // every curve recorded by epoch from epoch 0, the same epochs on every plot's x axis
    // (checked once the messages above have stopped: meanwhile they would pile up)
    for (const id of ['curves', 'grad-norms']) {
      const d = await page.$eval(`#${id}`, (e) => ({ ...(e as HTMLCanvasElement).dataset }));
      expect(d.first, id).toBe('0');
      expect(d.last, id).toBe('1000');
      expect(Number(d.points), id).toBeGreaterThanOrEqual(50);
      expect(d.epochs, id).toBe('1000');
    }
    // the loss on a log scale: redrawn, the trained network kept
    const image = () => page.$eval('#curves', (e) => (e as HTMLCanvasElement).toDataURL());
    const linear = await image();
    await page.click('#log-loss');
    expect(await image()).not.toBe(linear);
    expect(await text('#status')).toBe('done');
    expect(await text('#epoch')).toBe('1000');
    await page.click('#log-loss');
    const over = waits.filter((t) => t >= 50).length,
      worst = waits.reduce((a, b) => Math.max(a, b), 0);
    console.log(
      `${choice.name}: ${observed ? `${longTasks.length} long tasks; ` : ''}${waits.length} messages posted while training waited at most ${worst.toFixed(1)} ms, ${over} of them 50 ms or more`,
    );
    // training yielded all along (a fit that blocked would leave one wait as long as the run)
    expect(waits.length).toBeGreaterThan(20);
    if (observed) {
      // the engine's own long-task entries where it has them. On this shared 2-core host a task
      // now and then also holds a garbage collection, or waits for a thread the host descheduled:
      // one or two such (under 150 ms) are let pass; slices that ran long would give one per slice
      // (a busy host's 64, 64 run gave 245)
      expect(longTasks.length).toBeLessThanOrEqual(2);
      expect(Math.max(0, ...longTasks)).toBeLessThan(150);
    } else {
      // where it has none, the waits: on this shared machine a wait now and then also holds a
      // garbage collection or a slow frame, so a few (5) may reach 50 ms, none 150 ms; slices
      // that ran too long would put one wait of 50 ms or more behind each of them
      expect(over).toBeLessThanOrEqual(5);
      expect(worst).toBeLessThan(150);
    }
    await page.click('#reset');
    await statusIs('ready');
  }, 90000);

  it('a bigger run (64, 64 on 2000 samples) draws everything and still does not block the page', async () => {
    const observed = await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('longtask'));
    if (!observed) return; // Firefox: no long-task entries (the default run's waits are checked above)
    await fill('#hidden', '64, 64');
    await fill('#samples', '2000');
    await fill('#epochs', '150');
    await statusIs('ready');
    await page.evaluate(() => {
      const w = window as unknown as { big: number[]; bigWaits: number[]; bigOn: boolean };
      w.big = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.big.push(e.duration);
      }).observe({ type: 'longtask' });
      // the margin: how long messages posted meanwhile wait
      w.bigWaits = [];
      w.bigOn = true;
      const ping = new MessageChannel();
      let posted = performance.now();
      ping.port1.onmessage = () => {
        w.bigWaits.push(performance.now() - posted);
        if (w.bigOn) {
          posted = performance.now();
          ping.port2.postMessage(0);
        }
      };
      ping.port2.postMessage(0);
    });
    await page.click('#start');
    await statusIs('done', 90000);
    const { tasks, worst } = await page.evaluate(() => {
      const w = window as unknown as { big: number[]; bigWaits: number[]; bigOn: boolean };
      w.bigOn = false;
      return { tasks: w.big, worst: w.bigWaits.reduce((a, b) => Math.max(a, b), 0) };
    });
    console.log(
      `64, 64 on 2000 samples: long tasks ${JSON.stringify(tasks.map(Math.round))}; messages waited at most ${worst.toFixed(1)} ms`,
    );
    // as for the default run: one or two stalls of the shared host, none of 150 ms
    expect(tasks.length).toBeLessThanOrEqual(2);
    expect(Math.max(0, ...tasks)).toBeLessThan(150);
    await fill('#hidden', '10, 5');
    await fill('#samples', '300');
    await fill('#epochs', '1000');
    await statusIs('ready');
  }, 120000);

  it('trains He on circles to a test accuracy of at least 90%, with a boundary drawn', async () => {
    await page.select('#dataset', 'circles');
    await page.select('#init', 'he');
    await page.select('#optimizer', 'adam');
    await fill('#lr', '0.01');
    await fill('#epochs', '800');
    await page.click('#start');
    await statusIs('done', 60000);
    expect(await text('#epoch')).toBe('800');
    const acc = parseFloat((await text('#test-acc'))!);
    expect(acc).toBeGreaterThanOrEqual(90);
    // the heat map is not blank: its pixels vary
    const colors = await page.evaluate(() => {
      const c = document.getElementById('boundary') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    });
    expect(colors).toBeGreaterThan(50);
    await page.screenshot({ path: shot('demo-1280'), fullPage: true });
    expect(errors).toEqual([]);
  }, 90000);

  it('pause stops training where it is, start goes on from there, reset starts over', async () => {
    await page.select('#backend', 'js');
    await fill('#epochs', '100000');
    await page.click('#start');
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.textContent) > 50, { timeout: 30000 });
    await page.click('#pause');
    await statusIs('paused');
    const at = Number(await text('#epoch'));
    await sleep(300);
    expect(Number(await text('#epoch'))).toBe(at);
    await page.click('#start');
    await page.waitForFunction(
      (n) => Number(document.getElementById('epoch')?.textContent) > n,
      { timeout: 30000 },
      at,
    );
    await page.click('#pause');
    await statusIs('paused');
    // a setting changed while paused: a new network, and the page says so
    await fill('#lr', '0.02');
    expect(await text('#epoch')).toBe('0');
    expect(await text('#notice')).toMatch(/Settings changed: a new network was built/);
    await fill('#lr', '0.01');
    await page.click('#reset');
    await statusIs('ready');
    expect(await text('#epoch')).toBe('0');
    await page.select('#backend', 'wasm');
  }, 60000);

  it('the initialization comparison shows zeros at 50%', async () => {
    await page.click('#run-inits');
    await cardDone('#inits-out .card[data-key="he"]', 60000);
    expect(await text('#inits-out .card[data-key="zeros"] .train-acc')).toBe('50.0%');
    expect(await text('#inits-out .card[data-key="zeros"] .test-acc')).toBe('50.0%');
    expect(await text('#inits-out .card[data-key="he"] .test-acc')).toBe('96.0%');
    // and why: under zeros no weight gets a gradient, ever; under He every layer does
    const grads = (key: string) =>
      page.$eval(
        `#inits-out .card[data-key="${key}"]`,
        (c) => JSON.parse((c as HTMLElement).dataset.gradients!) as number[],
      );
    expect(await grads('zeros')).toEqual([0, 0, 0]);
    expect((await grads('he')).every((g) => g > 0)).toBe(true);
    await (await page.$('#inits'))!.screenshot({ path: shot('demo-inits') });
  }, 90000);

  it('the regularization comparison shows the train–test gap of each', async () => {
    await page.click('#run-regs');
    await cardDone('#regs-out .card[data-key="dropout"]', 90000);
    // the course's figures for no regularization and L2 (its dropout masks differ from ours)
    expect(await text('#regs-out .card[data-key="none"] .train-acc')).toBe('94.8%');
    expect(await text('#regs-out .card[data-key="none"] .test-acc')).toBe('91.5%');
    expect(await text('#regs-out .card[data-key="l2"] .train-acc')).toBe('93.8%');
    expect(await text('#regs-out .card[data-key="l2"] .test-acc')).toBe('93.0%');
    expect(await text('#regs-out .card[data-key="dropout"] .gap')).toMatch(/^gap -?\d+\.\d points$/);
    // the same bits in Chromium as in Node: the dropout run (no course figure to hold it to) trained here
    const dl = await import('../../dist/index.js');
    // the panel's backend: wasm, float64
    const backend = await dl.createBackend('wasm', { dtype: 'float64' });
    const rate = 0.14;
    const model = dl.sequential(
      [
        dl.dense(20, { init: 'xavier' }),
        dl.relu(),
        dl.dropout(rate),
        dl.dense(3, { init: 'xavier' }),
        dl.relu(),
        dl.dropout(rate),
        dl.dense(1, { init: 'xavier' }),
        dl.sigmoid(),
      ],
      { inputSize: 2, backend, seed: 3 },
    );
    const foot = dl.datasets.football();
    model.fit(foot.train.x, foot.train.y, {
      loss: 'binaryCrossEntropy',
      optimizer: dl.sgd({ learningRate: 0.3 }),
      epochs: 30000,
    });
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    expect(await text('#regs-out .card[data-key="dropout"] .train-acc')).toBe(
      pct(model.evaluate(foot.train.x, foot.train.y).accuracy),
    );
    expect(await text('#regs-out .card[data-key="dropout"] .test-acc')).toBe(
      pct(model.evaluate(foot.test.x, foot.test.y).accuracy),
    );
    backend.dispose();
  }, 120000);

  it('the in-page benchmark runs and draws its ratios', async () => {
    await page.click('#run-bench');
    await page.waitForSelector('#bench-out table', { timeout: 60000 });
    const rows = await count('#bench-out tbody tr');
    expect(rows).toBe(4);
    // each row ends in a ratio and a bar (speed itself is measured in bench/, not asserted here)
    const ratio = parseFloat((await text('#bench-out tbody tr:first-child td:last-child'))!);
    expect(ratio).toBeGreaterThan(0);
    expect(await count('#bench-out .bar')).toBe(4);
    expect(await text('#support')).toMatch(/WebAssembly SIMD yes/);
    expect(await text('#threads')).toBe(
      `The wasm backend runs on ${Math.min(availableParallelism(), 8)} threads (this page is cross-origin isolated).`,
    );
  }, 60000);

  /** each unit square of the network drawing, by layer: its pixels as one string */
  const unitPixels = () =>
    page.evaluate(() => {
      const c = document.getElementById('network') as HTMLCanvasElement;
      const ctx = c.getContext('2d')!;
      const byLayer: string[][] = [];
      for (const [l, , x, y, S] of JSON.parse(c.dataset.units!) as number[][]) {
        // inside the border
        (byLayer[l] ??= []).push(Array.from(ctx.getImageData(x + 2, y + 2, S - 4, S - 4).data).join(','));
      }
      return byLayer;
    });

  it('the network drawn: under zeros every unit of a layer is the same picture, before and after training; under He they differ', async () => {
    await page.select('#dataset', 'circles');
    await fill('#hidden', '10, 5');
    await page.select('#activation', 'relu');
    await page.select('#init', 'zeros');
    await fill('#epochs', '200');
    await statusIs('ready');
    for (const when of ['before', 'after']) {
      if (when === 'after') {
        await page.click('#start');
        await statusIs('done', 60000);
      }
      const layers = await unitPixels();
      expect(layers.length).toBe(4); // inputs, two hidden layers, the output
      for (const l of [1, 2]) expect(new Set(layers[l]).size, `layer ${l} ${when} training`).toBe(1);
      // and the table says so: one distinct unit, no gradient into the first layer
      expect(
        await page.$$eval('#layer-stats tbody tr', (rs) => rs.map((r) => (r as HTMLElement).dataset.distinct)),
      ).toEqual(['1', '1', '1']);
      expect(await page.$eval('#layer-stats tbody tr', (r) => Number((r as HTMLElement).dataset.gradientNorm))).toBe(0);
    }
    await page.select('#init', 'he');
    await statusIs('ready');
    const he = await unitPixels();
    for (const l of [1, 2]) expect(new Set(he[l]).size).toBe(he[l].length);
    await (await page.$('#network-sec'))!.screenshot({ path: shot('demo-network') });
  }, 90000);

  it("inside the layers: a 10-deep sigmoid stack's first layer gets a gradient orders of magnitude below its last", async () => {
    await page.select('#activation', 'sigmoid');
    await page.select('#init', 'xavier');
    await fill('#hidden', '16');
    await fill('#depth', '10');
    await statusIs('ready');
    expect(await page.$eval('#hidden', (e) => (e as HTMLInputElement).value)).toBe(Array(10).fill(16).join(', '));
    const norms = await page.$$eval('#layer-stats tbody tr', (rs) =>
      rs.map((r) => Number((r as HTMLElement).dataset.gradientNorm)),
    );
    expect(norms).toHaveLength(11);
    expect(norms[0] / norms[9]).toBeLessThan(1e-2);
    await (await page.$('#layers-sec'))!.screenshot({ path: shot('demo-layers') });
    // back to the defaults
    await page.select('#activation', 'relu');
    await page.select('#init', 'he');
    await fill('#hidden', '10, 5');
    await fill('#epochs', '1000');
    await statusIs('ready');
  }, 60000);

  it('SGD and momentum get learning rates at which they train', async () => {
    for (const [opt, lr] of [
      ['sgd', '0.3'],
      ['momentum', '0.3'],
    ]) {
      await page.select('#optimizer', opt);
      expect(await page.$eval('#lr', (e) => (e as HTMLInputElement).value)).toBe(lr);
      await page.click('#start');
      await statusIs('done', 60000);
      expect(parseFloat((await text('#test-acc'))!)).toBeGreaterThanOrEqual(90);
      await page.click('#reset');
      await statusIs('ready');
    }
    await page.select('#optimizer', 'adam');
    expect(await page.$eval('#lr', (e) => (e as HTMLInputElement).value)).toBe('0.01');
  }, 90000);

  it('the fit explorer names overfit for a big unregularized net on the football set, and L2 closes the gap', async () => {
    const run = async () => {
      await page.click('#run-fit');
      await page.waitForFunction(
        () => (document.getElementById('fx-verdict') as HTMLElement).dataset.kind !== undefined,
        { timeout: 60000 },
      );
      return page.$eval('#fx-verdict', (e) => ({
        kind: (e as HTMLElement).dataset.kind,
        gap: Number((e as HTMLElement).dataset.gap),
        text: e.textContent,
      }));
    };
    const none = await run();
    expect(none.kind).toBe('overfit');
    expect(none.text).toMatch(/^100, 100 hidden: Overfit: train \d+\.\d%, test \d+\.\d%, gap \d+\.\d points/);
    await fill('#fx-l2', '0.7');
    const l2 = await run();
    expect(l2.gap).toBeLessThan(none.gap);
    expect(l2.kind).toBe('good');
    await (await page.$('#fit-sec'))!.screenshot({ path: shot('demo-fit') });
    // a new width redraws its curves at the size shown
    await page.setViewport({ width: 390, height: 844 });
    await page.waitForFunction(
      () => {
        const c = document.getElementById('fx-curves') as HTMLCanvasElement;
        return Math.abs(c.width / devicePixelRatio - c.clientWidth) <= 1;
      },
      { timeout: 5000 },
    );
    await page.setViewport({ width: 1280, height: 800 });
  }, 120000);

  it('the gradient check passes', async () => {
    await page.click('#run-gc');
    await page.waitForSelector('#gc-out .verdict', { timeout: 30000 });
    expect(await text('#gc-out .verdict')).toMatch(/^passed: difference/);
  }, 60000);

  it('works at phone width and from the keyboard', async () => {
    await page.setViewport({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // tap targets of at least 44 px, and numbers that never wrap mid-number
    // (a checkbox's target is its label, which toggles it)
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select')]
        .map((el) => ((el as HTMLInputElement).type === 'checkbox' ? (el as HTMLInputElement).labels![0] : el))
        .filter((el) => el.getBoundingClientRect().height < 44)
        .map((el) => el.id || el.querySelector('input')?.id),
    );
    expect(small).toEqual([]);
    expect(await page.$eval('#train-loss', (e) => getComputedStyle(e).whiteSpace)).toBe('nowrap');
    expect(missing).toEqual([]);
    // every control has a label
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')]
        .filter((el) => !(el as HTMLInputElement).labels?.length)
        .map((el) => el.id),
    );
    expect(unlabeled).toEqual([]);
    await page.focus('#dataset');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('samples');
    await page.screenshot({ path: shot('demo-390'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60000);
});
