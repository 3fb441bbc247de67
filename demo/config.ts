// The page's settings: every field, its rule, its default. One place for the form, the URL and
// the lessons, so that a value is checked the same way wherever it comes from. No DOM here (the
// unit tests run it in Node).
import type { DType, InitName } from 'dl-fundamentals';

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';
export type OptimizerName = 'adam' | 'momentum' | 'rmsprop' | 'sgd';

export interface Config {
  dataset: 'circles' | 'moons' | 'spirals' | 'blobs';
  samples: number;
  noise: number;
  seed: number;
  hidden: number[];
  activation: Activation;
  init: InitName;
  scale: number;
  reg: 'none' | 'l2' | 'dropout';
  lambda: number;
  rate: number;
  /** batch norm after every hidden dense layer, before its activation */
  norm: 'none' | 'batch';
  optimizer: OptimizerName;
  lr: number;
  /** the learning rate's decay: lr / (1 + decay · epoch) */
  decay: number;
  epochs: number;
  batch: number;
  backend: 'wasm' | 'js';
  dtype: DType;
}

export type Field = keyof Config;
/** the fields as the form and the URL hold them: text */
export type Raw = Record<Field, string>;
export type Errors = Partial<Record<Field, string>>;

export const DEFAULTS: Raw = {
  dataset: 'circles',
  samples: '300',
  noise: '0.05',
  seed: '1',
  hidden: '10, 5',
  activation: 'relu',
  init: 'he',
  scale: '10',
  reg: 'none',
  lambda: '0.7',
  rate: '0.2',
  norm: 'none',
  optimizer: 'adam',
  lr: '0.01',
  decay: '0',
  epochs: '1000',
  batch: '0',
  backend: 'wasm',
  dtype: 'float32',
};

export const FIELDS = Object.keys(DEFAULTS) as Field[];

export const CHOICES: Partial<Record<Field, readonly string[]>> = {
  dataset: ['circles', 'moons', 'spirals', 'blobs'],
  activation: ['relu', 'tanh', 'sigmoid', 'linear'],
  init: ['he', 'xavier', 'random', 'zeros'],
  reg: ['none', 'l2', 'dropout'],
  norm: ['none', 'batch'],
  optimizer: ['adam', 'momentum', 'rmsprop', 'sgd'],
  backend: ['wasm', 'js'],
  dtype: ['float32', 'float64'],
};

export const LABELS: Record<Field, string> = {
  dataset: 'Dataset',
  samples: 'Samples',
  noise: 'Noise',
  seed: 'Seed',
  hidden: 'Hidden layers',
  activation: 'Activation',
  init: 'Initializer',
  scale: 'Scale',
  reg: 'Regularization',
  lambda: 'λ',
  rate: 'Dropout rate',
  norm: 'Normalization',
  optimizer: 'Optimizer',
  lr: 'Learning rate',
  decay: 'Decay',
  epochs: 'Epochs',
  batch: 'Batch size',
  backend: 'Backend',
  dtype: 'Precision',
};

/** learning rates at which each optimizer trains the page's default network in 1000 epochs */
export const DEFAULT_LR: Record<OptimizerName, number> = { adam: 0.01, momentum: 0.3, rmsprop: 0.01, sgd: 0.3 };

export const MAX_DEPTH = 10;
export const MIN_SAMPLES = 20;
export const MAX_SAMPLES = 2000;
export const MAX_EPOCHS = 100000;

/** Whether a field means anything under the others' values (scale only for random init, …). */
export function applies(field: Field, raw: Pick<Raw, 'init' | 'reg'>): boolean {
  if (field === 'scale') return raw.init === 'random';
  if (field === 'lambda') return raw.reg === 'l2';
  if (field === 'rate') return raw.reg === 'dropout';
  return true;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number written out in full: '' and '1e' are not numbers (Number('') is 0). */
function number(s: string): number | null {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

function whole(s: string, lo: number, hi: number, what: string): number {
  const v = number(s);
  if (v === null || !Number.isInteger(v) || v < lo || v > hi)
    throw new Error(`${what}: give a whole number from ${lo} to ${hi}, not '${s}'`);
  return v;
}

function real(s: string, ok: (v: number) => boolean, rule: string, what: string): number {
  const v = number(s);
  if (v === null || !Number.isFinite(v) || !ok(v)) throw new Error(`${what}: give ${rule}, not '${s}'`);
  return v;
}

/** The units of each hidden layer, from '10, 5'; '' is no hidden layer. */
export function parseHidden(s: string): number[] {
  const parts = s.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') return [];
  const units = parts.map((p) => whole(p, 1, 512, 'Hidden layers: each layer'));
  if (units.length > MAX_DEPTH) throw new Error(`Hidden layers: at most ${MAX_DEPTH}, not ${units.length}`);
  return units;
}

/**
 * Every field checked: the configuration, or the errors by field (each naming the field and the
 * value). Fields that do not apply (scale without random init, …) are not checked.
 */
export function parseConfig(raw: Raw): { config: Config | null; errors: Errors } {
  const errors: Errors = {};
  const out: Partial<Record<Field, unknown>> = {};
  const check = (field: Field, parse: (s: string) => unknown) => {
    try {
      out[field] = parse(raw[field]);
    } catch (e) {
      errors[field] = (e as Error).message;
    }
  };
  for (const [field, values] of Object.entries(CHOICES) as [Field, readonly string[]][])
    check(field, (s) => {
      if (!values.includes(s)) throw new Error(`${LABELS[field]}: '${s}' is not one of ${values.join(', ')}`);
      return s;
    });
  check('samples', (s) => whole(s, MIN_SAMPLES, MAX_SAMPLES, 'Samples'));
  check('noise', (s) => real(s, (v) => v >= 0 && v <= 1, 'a number from 0 to 1', 'Noise'));
  check('seed', (s) => whole(s, 0, 2 ** 32 - 1, 'Seed'));
  check('hidden', (s) => {
    const units = parseHidden(s);
    if (units.length === 0 && raw.activation !== 'linear')
      throw new Error(
        "Hidden layers: give at least one (units per layer, e.g. 10, 5); none is logistic regression, chosen with the 'linear' activation",
      );
    return units;
  });
  check('scale', (s) => (applies('scale', raw) ? real(s, (v) => v > 0, 'a number above 0', 'Scale') : 1));
  check('lambda', (s) => (applies('lambda', raw) ? real(s, (v) => v >= 0, 'a number ≥ 0', 'λ') : 0));
  check('rate', (s) =>
    applies('rate', raw) ? real(s, (v) => v >= 0 && v < 1, 'a rate from 0 to below 1', 'Dropout rate') : 0,
  );
  check('lr', (s) => real(s, (v) => v > 0 && v <= 10, 'a number above 0 and at most 10', 'Learning rate'));
  check('decay', (s) => real(s, (v) => v >= 0 && v <= 100, 'a number from 0 to 100', 'Decay'));
  check('epochs', (s) => whole(s, 1, MAX_EPOCHS, 'Epochs'));
  check('batch', (s) => {
    const b = whole(s, 0, MAX_SAMPLES, 'Batch size');
    const n = typeof out.samples === 'number' ? out.samples : MAX_SAMPLES;
    if (b > n) throw new Error(`Batch size: at most the ${n} training samples (0 for all of them), not ${b}`);
    return b;
  });
  return Object.keys(errors).length ? { config: null, errors } : { config: out as unknown as Config, errors };
}

/** The query string of a page state: the lesson, then every field that differs from its base. */
export function toQuery(raw: Raw, lesson: string | null, base: Raw): string {
  const q = new URLSearchParams();
  if (lesson) q.set('lesson', lesson);
  for (const f of FIELDS) if (raw[f].trim() !== base[f]) q.set(f, raw[f].trim());
  return q.toString();
}

/**
 * A query string read back: the lesson named (if any) and the fields it sets. Names the page does
 * not know are errors, not ignored: a shared link that lost a setting would show something else.
 */
export function fromQuery(search: string): { lesson: string | null; fields: Partial<Raw>; unknown: string[] } {
  const q = new URLSearchParams(search);
  const fields: Partial<Raw> = {};
  const unknown: string[] = [];
  let lesson: string | null = null;
  for (const [k, v] of q) {
    if (k === 'lesson') lesson = v;
    else if ((FIELDS as string[]).includes(k)) fields[k as Field] = v;
    else unknown.push(k);
  }
  return { lesson, fields, unknown };
}
