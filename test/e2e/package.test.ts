// The package as users get it: `npm pack`, installed from the tarball into an empty folder, then
// imported (ESM), required (CommonJS, where Node can require ES modules), and type-checked as a
// strict TypeScript consumer. The tarball ships what the README shows and nothing internal, stays
// small, passes publint and arethetypeswrong, and the README's example runs from it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let files: string[];
let tarball: string;
let packedBytes: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-pack-'));
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  files = packed[0].files.map((f: { path: string }) => f.path);
  tarball = join(dir, packed[0].filename);
  packedBytes = packed[0].size;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--offline', join(dir, packed[0].filename)], {
    cwd: dir,
    stdio: 'ignore',
  });
}, 120000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const node = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the packed package', () => {
  it("ships the build, LICENSE, CHANGELOG and the README's image, not the sources, tests or source maps", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'docs/demo-lesson.webp',
      ]),
    );
    expect(files.filter((f) => /^(src|test|assembly|scripts|bench|examples)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [, img] of readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g))
      expect(files, `README image ${img}`).toContain(img);
  });

  it('stays small: the tarball under 300 kB, a bundle of the model API under 100 kB gzipped', async () => {
    expect(packedBytes).toBeLessThan(300_000);
    const { build } = await import('esbuild');
    writeFileSync(
      join(dir, 'bundle-entry.mjs'),
      `import { createBackend, sequential, dense, relu, sigmoid, adam } from 'dl-fundamentals';
      const backend = await createBackend('wasm');
      sequential([dense(4), relu(), dense(1), sigmoid()], { inputSize: 2, backend }).fit([[0, 1]], [1], { loss: 'binaryCrossEntropy', optimizer: adam() });`,
    );
    const out = await build({
      entryPoints: [join(dir, 'bundle-entry.mjs')],
      absWorkingDir: dir,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      external: ['node:*'],
      write: false,
    });
    expect(gzipSync(out.outputFiles[0].contents, { level: 9 }).length).toBeLessThan(100_000);
  });

  it('passes publint and arethetypeswrong (ESM only: CommonJS consumers use import(), or require on Node 20.19+)', async () => {
    const { publint } = await import('publint');
    const pkgDir = join(dir, 'node_modules', 'dl-fundamentals');
    const { messages } = await publint({ pkgDir, pack: false, strict: true });
    expect(messages).toEqual([]);
    const attw = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const r = spawnSync(process.execPath, [attw, tarball, '--profile', 'esm-only', '--format', 'json'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("runs the README's example: it trains to the accuracy it shows", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const code = readme.split('## Train a network')[1].split('```ts\n')[1].split('```')[0];
    writeFileSync(join(dir, 'readme.mjs'), code);
    // console.log(history.loss.at(-1), model.evaluate(x, y)): the loss, then { loss, accuracy }
    const first = node(['readme.mjs']).trim().split('\n')[0];
    expect(Number(first.split(' ')[0])).toBeLessThan(0.1);
    expect(Number(/accuracy: ([\d.]+)/.exec(first)![1])).toBeGreaterThan(0.95);
  });

  it('imports as ESM and trains', () => {
    writeFileSync(
      join(dir, 'esm.mjs'),
      `
      import * as dl from 'dl-fundamentals';
      const backend = await dl.createBackend('wasm');
      const m = dl.sequential([dl.dense(4), dl.relu(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend, seed: 1 });
      const h = m.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { loss: 'binaryCrossEntropy', epochs: 5 });
      const back = dl.loadModel(m.toSafetensors(), backend);
      console.log(JSON.stringify({ epochs: h.loss.length, layers: back.layers.length, onnx: m.toONNX().length > 0 }));
      backend.dispose();`,
    );
    expect(JSON.parse(node(['esm.mjs']))).toEqual({ epochs: 5, layers: 4, onnx: true });
  });

  it('requires from CommonJS (Node 20.19+ requires ES modules; older Node says to use import())', () => {
    writeFileSync(
      join(dir, 'cjs.cjs'),
      `
      try {
        const dl = require('dl-fundamentals');
        console.log(JSON.stringify({ ok: typeof dl.createBackend }));
      } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
    );
    const r = JSON.parse(node(['cjs.cjs']));
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19))
      expect(r).toEqual({ ok: 'function' });
    else expect(r.message).toMatch(/import\(\)/);
  });

  it('type-checks a strict TypeScript consumer; internals stay out of the types', () => {
    writeFileSync(
      join(dir, 'consumer.ts'),
      `
      import * as dl from 'dl-fundamentals';
      export async function main(): Promise<number> {
        const backend: dl.Backend = await dl.createBackend('wasm', { dtype: 'float32', threads: 1 });
        const model: dl.Sequential = dl.sequential([dl.dense(3), dl.tanh(), dl.dense(1)], { inputSize: 2, backend });
        const w: dl.Weight[] = model.getWeights();
        const bytes: Uint8Array = model.toSafetensors();
        const again: dl.Sequential = dl.loadModel(bytes, backend, { cast: false });
        const art: dl.TFJSArtifacts = model.toTFJS();
        const json: dl.ModelJSON = model.toJSON();
        void again; void art; void json;
        return w[1].shape[0];
      }`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      cwd: dir,
      encoding: 'utf8',
    });
    const types = readdirSync(join(dir, 'node_modules', 'dl-fundamentals', 'dist', 'nn'))
      .filter((f) => f.endsWith('.d.ts'))
      .map((f) => readFileSync(join(dir, 'node_modules', 'dl-fundamentals', 'dist', 'nn', f), 'utf8'))
      .join('\n');
    for (const internal of [
      'lossAndGradient',
      'addPenaltyGradient',
      'tensorLabels',
      'withSavedWeights',
      'forwardWithoutBias',
    ])
      expect(types).not.toContain(internal);
    expect(
      readFileSync(
        join(dir, 'node_modules', 'dl-fundamentals', 'dist', 'backends', 'wasm', 'kernels.generated.d.ts'),
        'utf8',
      ).length,
    ).toBeLessThan(300);
  });
});
