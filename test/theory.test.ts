import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phiOf, type TheoryActivation } from '../src/theory/activationFunctions.js';
import { closedForm } from '../src/theory/closedForms.js';
import { erf, normalCdf } from '../src/theory/erf.js';
import { splitExpectation } from '../src/theory/gaussLegendre.js';
import { lengthMap } from '../src/theory/lengthMap.js';
import { moments } from '../src/theory/moments.js';

const ALL: TheoryActivation[] = ['identity', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu', 'selu', 'silu'];
const QS = [0.1, 1, 4];

/** An independent rule: composite Simpson on [−16σ, 16σ] with a node at 0 (kinks sit on a node). */
function simpson(f: (z: number) => number, q: number, n = 40000): number {
  const s = Math.sqrt(q), a = -16 * s, h = (32 * s) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = a + i * h;
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f(z) * Math.exp((-0.5 * z * z) / q);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI * q);
}

describe('theory', () => {
  it('erf and Φ match tabulated values to 1e-15', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
  });

  it.each(ALL.filter((a) => closedForm(a)))('closed forms of %s agree with quadrature within 1e-9 at q = 0.1, 1, 4', (name) => {
    const phi = phiOf(name), cf = closedForm(name)!;
    for (const q of QS) {
      expect(Math.abs(cf.V(q) - splitExpectation((z) => phi(z) ** 2, q))).toBeLessThan(1e-9);
      expect(Math.abs(cf.M(q) - splitExpectation(phi, q))).toBeLessThan(1e-9);
    }
  });

  it.each(ALL)('V and M of %s by the theory\'s quadrature agree with an independent Simpson rule within 1e-9', (name) => {
    const phi = phiOf(name), m = moments(name);
    for (const q of QS) {
      expect(Math.abs(m.V(q) - simpson((z) => phi(z) ** 2, q))).toBeLessThan(1e-9);
      expect(Math.abs(m.M(q) - simpson(phi, q))).toBeLessThan(1e-9);
    }
  });

  it('SELU with σw² = 1 is self-normalizing: the length map stays at q = 1', () => {
    for (const l of lengthMap('selu', new Array(20).fill(1))) expect(l.z_ex2).toBeCloseTo(1, 9);
  });

  it('the length map gives 2^−l for Xavier + ReLU and 1 for He + ReLU', () => {
    const xavier = lengthMap('relu', new Array(20).fill(1));
    expect(xavier[19].a_ex2).toBeCloseTo(2 ** -20, 15);
    for (const l of lengthMap('relu', new Array(20).fill(2))) (expect(l.a_ex2).toBe(1), expect(l.relu_ex2_ratio).toBe(0.5));
  });

  it('leaky ReLU with α = 0 is ReLU: theory.zero_frac is ½, as for ReLU; with α > 0 it is 0', () => {
    expect(lengthMap('leaky_relu', [2, 2], 0, 0).map((l) => l.zero_frac)).toEqual([0.5, 0.5]);
    expect(lengthMap('leaky_relu', [2], 0, 0.01)[0].zero_frac).toBe(0);
  });

  it('the README states the finite-width spread √(5L/n) in ln at n = 1024, L = 20 and its factor e^spread, to 2 digits', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const spread = Math.sqrt((5 * 20) / 1024);
    const stated = /±([0-9.]+) in ln, i\.e\. a factor of about ([0-9.]+)/.exec(readme);
    expect(stated, 'README sentence on the spread').not.toBeNull();
    expect(Number(stated![1])).toBeCloseTo(spread, 2);
    expect(Number(stated![2])).toBeCloseTo(Math.exp(spread), 2);
  });
});
