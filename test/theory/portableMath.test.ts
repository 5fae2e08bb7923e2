import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as P from '../../src/theory/portableMath.js';

/** |a − b| in units of the last place of the larger (subnormals: of the smallest normal). */
const ulps = (a: number, b: number) => (Object.is(a, b) ? 0 : Math.abs(a - b) / (Number.EPSILON * Math.max(Math.abs(a), Math.abs(b), 2.2250738585072014e-308)));

/** A fixed sequence of arguments (a linear congruential generator: the same points on every run). */
function points(n: number, draw: (u: number) => number): number[] {
  let s = 7;
  return Array.from({ length: n }, () => draw((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648));
}

// Node's Math is fdlibm's to within 1 ulp, so agreement with it to 2.5 ulp bounds the portable functions' error by 3.5 ulp
const CASES: [string, (x: number) => number, (x: number) => number, (u: number) => number][] = [
  ['exp on ±700', P.exp, Math.exp, (u) => (u - 0.5) * 1400],
  ['exp on ±1', P.exp, Math.exp, (u) => u * 2 - 1],
  ['log over 1e±300', P.log, Math.log, (u) => 10 ** ((u - 0.5) * 600)],
  ['log near 1', P.log, Math.log, (u) => 1 + (u - 0.5) * 0.1],
  ['log of subnormals', P.log, Math.log, (u) => u * 1e-310 + 5e-324],
  ['log10', P.log10, Math.log10, (u) => 10 ** ((u - 0.5) * 40)],
  ['log1p near 0', P.log1p, Math.log1p, (u) => (u - 0.3) * 2e-3],
  ['expm1', P.expm1, Math.expm1, (u) => (u - 0.5) * 3],
  ['tanh', P.tanh, Math.tanh, (u) => (u - 0.5) * 10],
  ['atanh up to ±0.9995', P.atanh, Math.atanh, (u) => (u - 0.5) * 1.999],
  ['atan', P.atan, Math.atan, (u) => (u - 0.5) * 20],
  ['atan over 1e±20', P.atan, Math.atan, (u) => 10 ** ((u - 0.5) * 40)],
  ['acos', P.acos, Math.acos, (u) => u * 2 - 1],
  ['sin on ±20', P.sin, Math.sin, (u) => (u - 0.5) * 40],
  ['cos on ±20', P.cos, Math.cos, (u) => (u - 0.5) * 40],
];

describe('portable elementary functions', () => {
  it.each(CASES)('%s: within 2.5 ulp of Math over 100 000 points', (_name, f, g, draw) => {
    let worst = 0;
    for (const x of points(100_000, draw)) worst = Math.max(worst, ulps(f(x), g(x)));
    expect(worst).toBeLessThan(2.5);
  });

  it('special values', () => {
    expect(P.exp(0)).toBe(1);
    expect(P.exp(-Infinity)).toBe(0);
    expect(P.exp(710)).toBe(Infinity);
    expect(P.exp(-745)).toBe(5e-324);
    expect(P.log(1)).toBe(0);
    expect(P.log(0)).toBe(-Infinity);
    expect(P.log(-1)).toBeNaN();
    expect(P.log(Infinity)).toBe(Infinity);
    expect(P.expm1(1e-300)).toBe(1e-300);
    expect(P.tanh(30)).toBe(1);
    expect(P.acos(1)).toBe(0);
    expect(P.acos(-1)).toBe(Math.PI);
    expect(P.atan2(1, -1)).toBeCloseTo((3 * Math.PI) / 4, 15);
    expect(P.atan2(-1e-300, -1)).toBe(-Math.PI);
    expect(() => P.sin(1e7)).toThrow(RangeError);
  });

  // the theory's numbers go to metrics.json, which Node and the page must write alike; engines' Math
  // differs in the last bit (Chromium 156 against Node 20 on ~5% of arguments), so nothing there calls it
  // (nor ** with a non-literal exponent, except 2 ** k, a power of two, exact everywhere)
  it('the theory, the metrics and the experiment call no engine transcendental (Math.exp, log, sin, …): only portableMath', () => {
    const root = join(import.meta.dirname, '..', '..', 'src');
    const offenders: string[] = [];
    for (const dir of ['theory', 'metrics', 'experiment', 'model', 'sweep', 'predictions']) {
      for (const file of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'portableMath.ts')) {
        const code = readFileSync(join(root, dir, file), 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\/\*|\*)/.test(l));
        code.forEach((line, i) => {
          if (/\bMath\.(exp|expm1|log|log1p|log2|log10|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|pow|cbrt|hypot)\b|(?<!\b2 )(?<=[\w)\]]\s*)\*\*\s*[^\d\s(]/.test(line)) offenders.push(`${dir}/${file}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });
});
