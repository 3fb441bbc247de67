// src/core/libm.ts against correctly rounded values (mpmath at 200 bits, rounded to the nearest
// double: test/fixtures/libm/values.json, written by scripts/fixtures_libm.py): every value bit
// for bit. Special values as IEEE and ECMAScript define them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as libm from '../../src/core/libm.js';
import { cos, exp, expm1, log, log1p, sin, tanh } from '../../src/core/libm.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/libm/values.json', import.meta.url), 'utf8')) as Record<
  string,
  number[][]
>;
const UNARY = { exp, expm1, log, log1p, sin, cos, tanh };
type Unary = keyof typeof UNARY;

describe('libm: correctly rounded on every fixture value', () => {
  it.each(['exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'tanh'] as Unary[])('%s', (name) => {
    const wrong = fixtures[name].filter(([x, want]) => !Object.is(UNARY[name](x), want));
    expect(wrong.slice(0, 5), `${wrong.length} of ${fixtures[name].length} not correctly rounded`).toEqual([]);
    expect(fixtures[name].length).toBeGreaterThan(1000);
  });

  it('pow', () => {
    const wrong = fixtures.pow.filter(([x, y, want]) => !Object.is(libm.pow(x, y), want));
    expect(wrong.slice(0, 5), `${wrong.length} of ${fixtures.pow.length}`).toEqual([]);
  });
});

describe('libm: special values', () => {
  const { exp, expm1, log, log1p, pow, sin, cos, tanh } = libm;
  const inf = Number.POSITIVE_INFINITY;
  it('exp and expm1: overflow, underflow, zeros, NaN', () => {
    expect([exp(inf), exp(-inf), exp(Number.NaN), exp(0), exp(-0)]).toEqual([inf, 0, Number.NaN, 1, 1]);
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308);
    expect(exp(709.7827128933841)).toBe(inf);
    expect(exp(-745.14)).toBe(0);
    expect(exp(-745.1332191019411)).toBe(5e-324);
    expect([expm1(inf), expm1(-inf), expm1(-0), expm1(-50)]).toEqual([inf, -1, -0, -1]);
    // near the top, where e^x's power of two is 2^1024 (Python's math.expm1 gives these)
    expect([expm1(709.782712893384), expm1(709)]).toEqual([1.7976931348622732e308, 8.218407461554972e307]);
  });
  it('log and log1p: zero, negatives, infinity, subnormals', () => {
    expect([log(0), log(-0), log(-1), log(inf), log(1), log(Number.NaN)]).toEqual([
      -inf,
      -inf,
      Number.NaN,
      inf,
      0,
      Number.NaN,
    ]);
    expect(log(5e-324)).toBe(-744.4400719213812);
    expect([log1p(-1), log1p(-2), log1p(-0), log1p(inf)]).toEqual([-inf, Number.NaN, -0, inf]);
  });
  it('sin, cos, tanh: infinities, NaN, signed zeros, saturation', () => {
    expect([sin(inf), cos(-inf), sin(Number.NaN), sin(-0), cos(0)]).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      -0,
      1,
    ]);
    expect([tanh(inf), tanh(-inf), tanh(-0), tanh(30), tanh(1e-300)]).toEqual([1, -1, -0, 1, 1e-300]);
  });
  it('pow: zeros, infinities, negative bases', () => {
    expect([pow(2, 0), pow(Number.NaN, 0), pow(0, 2), pow(0, -1), pow(inf, -1), pow(-8, 1 / 3)]).toEqual([
      1,
      1,
      0,
      inf,
      0,
      Number.NaN,
    ]);
    expect([pow(-2, 3), pow(-2, 2), pow(2, 10), pow(10, -2)]).toEqual([-8, 4, 1024, 0.01]);
  });
});
