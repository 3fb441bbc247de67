// The page's lessons, its state in the URL, its form's errors and its accessibility, end to end:
// the built page served from a sub-path, driven in a headless browser (Chromium, or Firefox with
// DL_BROWSER=firefox). Each lesson is loaded by URL as a reader would share it, and its measured
// claim is checked on what the page shows; axe-core checks the page in each state it is left in.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBrowser } from './browser-helpers.js';
import { type DemoPage, formHelpers, openDemo, shotPath } from './demo-page.js';

const choice = chooseBrowser();
const shot = (name: string) => shotPath(choice, name);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe(`the lessons, the URL and the form in ${choice.name} (${choice.source})`, () => {
  let demo: DemoPage;
  let page: Page;
  let base: string;
  let errors: string[];

  beforeAll(async () => {
    demo = await openDemo(choice, 'sub');
    ({ page, url: base, errors } = demo);
    await page.setViewport({ width: 1280, height: 900 });
  }, 120000);

  afterAll(() => demo?.close());

  const { text, value, fill, statusIs } = formHelpers(() => page);
  const open = async (query: string) => {
    await page.goto(`${base}${query}`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== 'ready…', { timeout: 30000 });
  };
  /** Opens a lesson by URL, trains it as fast as it goes, and waits for its figure. */
  const lesson = async (id: string, timeout = 90000) => {
    await open(`?lesson=${id}`);
    await statusIs('ready');
    await page.select('#pace', '0');
    await page.click('#start');
    await page.waitForFunction(() => document.getElementById('lesson-figure')?.dataset.done === 'true', { timeout });
    const runs = JSON.parse((await page.$eval('#lesson-figure', (e) => (e as HTMLElement).dataset.runs)) ?? '[]') as {
      label: string;
      train: number;
      test: number;
      loss: number;
    }[];
    const verdict = await page.$eval('#fit-verdict', (e) => ({
      kind: (e as HTMLElement).dataset.kind,
      cause: (e as HTMLElement).dataset.cause,
      text: e.textContent,
    }));
    return { runs, verdict };
  };
  /** axe-core's serious and critical violations of WCAG 2 A and AA on the page as it is */
  const axe = async () => {
    await page.evaluate(axeSource);
    const found = await page.evaluate(async () => {
      const r = await (
        window as unknown as {
          axe: {
            run: (
              o: object,
            ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      }));
    });
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  };

  it('1, why non-linear, by URL: the linear model draws a straight boundary and stays near chance; ReLU fits', async () => {
    const { runs, verdict } = await lesson('nonlinear');
    expect(await value('#activation')).toBe('linear');
    expect(await text('#lesson-title')).toBe('Why non-linear activations');
    const [lin, relu] = runs;
    expect(lin.test).toBeLessThanOrEqual(0.6);
    expect(relu.test).toBeGreaterThanOrEqual(0.95);
    expect(verdict).toMatchObject({ kind: 'underfit', cause: 'linear' });
    // a straight boundary: the logit of the prediction is one affine function of (x, y) everywhere
    const pts: number[][] = [];
    for (let i = 0; i < 60; i++) pts.push([Math.sin(i * 1.7) * 1.3, Math.cos(i * 2.3) * 1.3]);
    const p = (await page.evaluate(
      (pts) => (window as unknown as { dlDemo: { predict: (p: number[][]) => number[] } }).dlDemo.predict(pts),
      pts,
    )) as number[];
    const logit = p.map((v) => Math.log(v / (1 - v)));
    // the plane through the first three points, then every other point against it
    const [a, b, c] = [0, 1, 2].map((k) => [...pts[k], logit[k]]);
    const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]],
      v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const spread = Math.max(...logit) - Math.min(...logit);
    for (let k = 3; k < pts.length; k++) {
      const z = a[2] - (n[0] * (pts[k][0] - a[0]) + n[1] * (pts[k][1] - a[1])) / n[2];
      expect(Math.abs(z - logit[k]), `point ${k}`).toBeLessThan(1e-3 * Math.max(1, spread));
    }
    await page.screenshot({ path: shot('lesson-nonlinear-1280'), fullPage: false });
    // the README's image: the boundary and the lesson beside it, small enough to ship in the package
    await (await page.$('#train .plots'))!.screenshot({
      path: shotPath(choice, 'lesson-nonlinear-plots', 'webp'),
      quality: 80,
    });
  }, 120000);

  it('2, the output layer: the probabilities under the pointer, one per class, adding to 1', async () => {
    const { runs } = await lesson('output');
    expect(runs[0].test).toBeGreaterThanOrEqual(0.9);
    const box = (await (await page.$('#boundary'))!.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await page.waitForFunction(() => document.getElementById('probe')?.textContent?.includes('softmax'));
    const probs = [...(await text('#probe')).matchAll(/P\(class (\d)\) = (\d\.\d{3})/g)].map((m) => Number(m[2]));
    expect(probs).toHaveLength(3);
    expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(0.002);
  }, 120000);

  it('3, zeros: symmetry with sigmoid (one distinct unit per layer), dead units with ReLU, each named', async () => {
    const sym = await lesson('zeros-symmetry');
    expect(sym.verdict).toMatchObject({ kind: 'underfit', cause: 'symmetry' });
    expect(
      await page.$$eval('#layer-stats tbody tr', (rs) => rs.map((r) => (r as HTMLElement).dataset.distinct)),
    ).toEqual(['1', '1', '1']);
    expect(await text('#fit-verdict')).toMatch(/Symmetry: all 10 units of dense1/);
    const dead = await lesson('zeros-dead');
    expect(dead.verdict).toMatchObject({ kind: 'underfit', cause: 'dead' });
    expect(await text('#lesson-figure')).toMatch(/dense1 0, dense2 0, dense3 0/);
  }, 120000);

  it('4–6: saturation, vanishing and exploding are each named for what they are', async () => {
    const sat = await lesson('large-random');
    expect(sat.verdict.cause).toBe('saturation');
    const [big, xavier] = sat.runs;
    expect(big.loss).toBeGreaterThan(xavier.loss);
    expect((await lesson('vanishing')).verdict.cause).toBe('vanishing');
    const x = await lesson('exploding');
    expect(await text('#status')).toBe('diverged');
    expect(x.verdict.cause).toBe('divergence');
    expect(await text('#fit-verdict')).toMatch(/Diverged at epoch \d+/);
  }, 240000);

  it('5, 9 and 12 by URL: He keeps the scale, one unit underfits, dropout narrows the gap', async () => {
    await lesson('he');
    // "He 0.53 → … → 0.16; random ×1 0.53 → … → 1.9e+3"
    const [he, big] = [...(await text('#lesson-figure')).matchAll(/(?:He|random ×1) ([\d.e+\- →]+)/g)].map((m) =>
      m[1]
        .replace(/\.\s*$/, '') // the sentence's full stop
        .split('→')
        .map((v) => Number(v.trim()))
        .filter(Number.isFinite),
    );
    expect(he).toHaveLength(10);
    expect(he[9] / he[0]).toBeGreaterThan(0.1);
    expect(he[9] / he[0]).toBeLessThan(10);
    expect(big[9] / big[0]).toBeGreaterThan(100);
    const u = await lesson('underfit');
    expect(u.verdict).toMatchObject({ kind: 'underfit', cause: '' });
    expect(u.runs[0].train).toBeLessThan(0.8);
    expect(u.runs[1].test).toBeGreaterThanOrEqual(0.95);
    const d = await lesson('dropout');
    const [drop, none] = d.runs;
    expect(drop.train - drop.test).toBeLessThan(none.train - none.test);
  }, 240000);

  it('8–9: overfit named; L2 shrinks the weights and closes the gap, the page says by how much', async () => {
    const o = await lesson('overfit');
    expect(o.verdict.kind).toBe('overfit');
    const l2 = await lesson('l2');
    const [withL2, without] = l2.runs;
    expect(withL2.train - withL2.test).toBeLessThan(without.train - without.test);
    expect(l2.verdict.kind).toBe('good');
    expect(await text('#lesson-figure')).toMatch(/‖W‖: \S+ with L2, \S+ without/);
    await (await page.$('#train'))!.screenshot({ path: shot('lesson-l2') });
  }, 240000);

  it('10–14 by URL: mini-batches, the optimizers, decay and batch norm measured beside their contrasts', async () => {
    const mb = await lesson('mini-batch');
    expect(mb.runs[0].loss).toBeLessThan(mb.runs[1].loss);
    const opt = await lesson('optimizers');
    const [sgd, ...rest] = opt.runs;
    expect(rest.map((r) => r.label)).toEqual(['momentum', 'RMSprop', 'Adam']);
    for (const r of rest) expect(r.loss, r.label).toBeLessThan(sgd.loss);
    const bn = await lesson('batch-norm');
    expect(bn.runs[0].train).toBeGreaterThanOrEqual(0.9);
    expect(bn.runs[1].train).toBeLessThanOrEqual(0.6);
    expect(await text('#lesson-figure')).toMatch(/Training loss now/);
    await lesson('lr-decay');
    expect(await text('#lesson-figure')).toMatch(/moves by .* with decay, .* without/);
  }, 240000);

  it('11, 13, 14: the lessons with figures of their own draw them and state what they measured', async () => {
    for (const [id, claim] of [
      ['ewa', /starts at .*still .* on day 10, where the corrected average is/],
      ['input-norm', /the steepest direction of the cost is \d+× the flattest/],
      ['random-search', /per decade .*the best, \S+, scored \d+\.\d% on held-out points/],
    ] as const) {
      await open(`?lesson=${id}`);
      await page.waitForFunction(() => document.getElementById('lesson-figure')?.dataset.done === 'true', {
        timeout: 60000,
      });
      expect(await text('#lesson-figure'), id).toMatch(claim);
      expect(await page.$eval('#lesson-extra', (e) => (e as HTMLElement).hidden)).toBe(false);
      // the figure is drawn: its pixels vary
      const colours = await page.evaluate(() => {
        const c = document.getElementById('lesson-extra') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
      });
      expect(colours, id).toBeGreaterThan(5);
    }
    await (await page.$('#train'))!.screenshot({ path: shot('lesson-random-search') });
  }, 120000);

  it('the network drawn at depth ten: no two squares overlap, and the labels fit, at 1280 and at 390 px', async () => {
    await open('?lesson=he');
    await statusIs('ready');
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      await page.click('#reset');
      await statusIs('ready');
      const units = JSON.parse((await page.$eval('#network', (e) => (e as HTMLElement).dataset.units))!) as number[][];
      expect(new Set(units.map((u) => u[0])).size).toBe(12); // inputs, ten hidden layers, the output
      for (let i = 0; i < units.length; i++)
        for (let j = i + 1; j < units.length; j++) {
          const [, , ax, ay, S] = units[i],
            [, , bx, by] = units[j];
          expect(Math.abs(ax - bx) >= S || Math.abs(ay - by) >= S, `${units[i]} and ${units[j]} at ${width}`).toBe(
            true,
          );
        }
    }
    await page.setViewport({ width: 1280, height: 900 });
  }, 60000);

  it('9, gradient checking as a lesson: the trained network passes, the planted bug fails and is named', async () => {
    await lesson('gradcheck');
    expect(await text('#lesson-figure')).toMatch(
      /The network at epoch 1000: difference .*passed.*With dense2's ∂W doubled: .*FAILED.*the worst entry is dense2\.W\[\d+\]/,
    );
  }, 120000);

  it('7, gradient check: the trained network passes; with backprop broken it FAILS and names dense2', async () => {
    await open('');
    await page.select('#pace', '0');
    await page.click('#start');
    await statusIs('done');
    await page.click('#run-gc');
    await page.waitForSelector('#gc-out .verdict');
    expect(await text('#gc-out .verdict')).toMatch(/^passed: .*the network at epoch 1000/s);
    await page.click('#gc-break');
    await page.click('#run-gc');
    await page.waitForFunction(() => document.querySelector('#gc-out .verdict')?.textContent?.startsWith('FAILED'));
    expect(await text('#gc-out .worst')).toMatch(/^dense2\.W\[\d+\]$/);
    await page.click('#gc-break');
  }, 120000);

  it('the page state is in the URL, and a reload gives it back', async () => {
    await open('?lesson=he');
    await statusIs('ready');
    expect(new URL(page.url()).search).toBe('?lesson=he');
    await fill('#noise', '0.1');
    await statusIs('ready');
    expect(new URL(page.url()).searchParams.get('noise')).toBe('0.1');
    expect(await page.$eval('#lesson-changed', (e) => (e as HTMLElement).hidden)).toBe(false);
    await page.reload();
    await statusIs('ready');
    expect(await value('#noise')).toBe('0.1');
    expect(await value('#hidden')).toBe('16, 16, 16, 16, 16, 16, 16, 16, 16, 16');
    expect(await value('#lesson')).toBe('he');
  }, 60000);

  it("invalid URL values get the form's errors beside their fields, and nothing is built", async () => {
    await open('?samples=5&activation=swish&bogus=1');
    await statusIs('invalid settings');
    expect(await text('#samples-error')).toMatch(/Samples: give a whole number from 20 to 2000, not '5'/);
    expect(await text('#activation-error')).toMatch(/Activation: 'swish' is not one of/);
    expect(await page.$eval('#samples', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(await text('#error')).toMatch(/unknown setting 'bogus'/);
    await page.click('#start');
    expect(await text('#status')).toBe('invalid settings');
    expect(await text('#epoch')).toBe('0');
  }, 60000);

  it('form errors: beside the field, in the panel they belong to, and nothing runs', async () => {
    await open('');
    await statusIs('ready');
    await fill('#depth', '20');
    expect(await text('#depth-error')).toMatch(/Depth: give a whole number from 1 to 10, not '20'/);
    expect(await value('#hidden')).toBe('10, 5');
    await fill('#depth', '2');
    await fill('#epochs', '0');
    await statusIs('invalid settings');
    expect(await text('#epochs-error')).toMatch(/Epochs: give a whole number from 1 to 100000, not '0'/);
    await page.click('#start');
    expect(await text('#status')).toBe('invalid settings');
    expect(await text('#train-acc')).toBe('–');
    await fill('#epochs', '1000');
    await statusIs('ready');
    await fill('#hidden', '');
    await statusIs('invalid settings');
    expect(await text('#hidden-error')).toMatch(/give at least one/);
    await page.select('#activation', 'linear');
    await statusIs('ready'); // no hidden layer with the linear activation: logistic regression
    // the fit explorer's errors stay in the fit explorer
    await fill('#fx-l2', '-1');
    await page.click('#run-fit');
    await page.waitForFunction(() => !document.getElementById('fx-error')!.hidden);
    expect(await text('#fx-error')).toMatch(/λ \(L2\): give a number ≥ 0, not '-1'/);
    expect(await page.$eval('#error', (e) => (e as HTMLElement).hidden)).toBe(true);
    expect(await text('#status')).toBe('ready');
    await fill('#fx-l2', '0');
    // fields that do not apply are off
    expect(await page.$eval('#scale', (e) => (e as HTMLInputElement).disabled)).toBe(true);
    await page.select('#init', 'random');
    expect(await page.$eval('#scale', (e) => (e as HTMLInputElement).disabled)).toBe(false);
  }, 60000);

  it('settings are locked while training and the page says so; the notice of a change goes when the new network trains', async () => {
    await open('?epochs=100000');
    await statusIs('ready');
    await page.select('#pace', '50');
    await page.click('#start');
    await statusIs('training');
    expect(await page.$eval('#controls fieldset', (e) => (e as HTMLFieldSetElement).disabled)).toBe(true);
    expect(await page.$eval('#locked', (e) => (e as HTMLElement).hidden)).toBe(false);
    await page.click('#pause');
    await statusIs('paused');
    expect(await page.$eval('#controls fieldset', (e) => (e as HTMLFieldSetElement).disabled)).toBe(false);
    await fill('#noise', '0.1');
    expect(await text('#notice')).toMatch(/Settings changed/);
    await page.click('#step');
    await statusIs('paused');
    expect(await text('#epoch')).toBe('1');
    expect(await text('#notice')).toBe('');
  }, 60000);

  it('axe-core finds no serious or critical violation, at 1280 and at 390 px; the phone shows Start and the boundary first', async () => {
    await open('?lesson=nonlinear');
    await statusIs('ready');
    expect(await axe()).toEqual([]);
    await page.setViewport({ width: 390, height: 844 });
    expect(await axe()).toEqual([]);
    // redrawn at the size shown, so their 11 px text is 11 px (drawn at 1280 and shrunk, it was ~5)
    await page.waitForFunction(
      () => {
        const c = document.getElementById('boundary') as HTMLCanvasElement;
        return Math.abs(c.width / devicePixelRatio - c.clientWidth) <= 1;
      },
      { timeout: 5000 },
    );
    const scaled = await page.evaluate(() =>
      // every canvas drawn so far (a panel not yet run has drawn nothing)
      [...document.querySelectorAll('canvas')]
        .filter((c) => c.clientWidth > 0 && c.dataset.w !== undefined)
        .filter((c) => Math.abs(c.width / devicePixelRatio - c.clientWidth) > 1)
        .map((c) => c.id || c.getAttribute('aria-label')),
    );
    expect(scaled).toEqual([]);
    const top = (sel: string) => page.$eval(sel, (e) => e.getBoundingClientRect().top + window.scrollY);
    expect(await top('#start')).toBeLessThan(await top('#setup'));
    expect(await top('#boundary')).toBeLessThan(await top('#setup'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // what a phone shows first: the lesson, Start and the boundary
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot('lesson-nonlinear-390') });
    await page.setViewport({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  }, 60000);
});
