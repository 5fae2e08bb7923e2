import { describe, expect, it } from 'vitest';
import { phaseTheory } from '../src/theory/correlationMap.js';
import { chi1At, criticalSigmaW2, lengthFixedPoint } from '../src/theory/criticality.js';

// tanh's q*, c*, χ and ξ_c by rules that share no code with the tool: the trapezoid rule on a grid of
// step 1/20 over [−10, 10] (and its square for the pair moments), which converges geometrically for an
// analytic integrand (tanh's nearest poles sit at |Im z| = π/(2√q) ≥ 1 here, so the error is ~e^(−2π·20)),
// fixed points by plain iteration and bisection.
const H = 1 / 20, N = 200;
const nodes = Array.from({ length: 2 * N + 1 }, (_, i) => (i - N) * H);
const weight = nodes.map((z) => (H * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI));
const mean1 = (f: (z: number) => number) => nodes.reduce((t, z, i) => t + weight[i] * f(z), 0);
function mean2(f: (z1: number, z2: number) => number): number {
  let s = 0;
  for (let i = 0; i < nodes.length; i++) for (let j = 0; j < nodes.length; j++) s += weight[i] * weight[j] * f(nodes[i], nodes[j]);
  return s;
}
const sech2 = (x: number) => 1 / Math.cosh(x) ** 2;

function independent(s2: number, b2: number): { qStar: number; cStar: number; chiC: number; xiC: number } {
  let q = s2 + b2;
  for (let i = 0, last = NaN; i < 5000 && q !== last; i++) [last, q] = [q, s2 * mean1((z) => Math.tanh(Math.sqrt(q) * z) ** 2) + b2];
  const r = Math.sqrt(q);
  const chi1 = s2 * mean1((z) => sech2(r * z) ** 2);
  let cStar = 1;
  if (chi1 > 1) {
    // C(c) − c changes sign once in [0, 1): from C(0) ≥ 0 down to 0 at c = 1, where its slope χ₁ − 1 > 0
    const gap = (c: number) => (s2 * mean2((z1, z2) => Math.tanh(r * z1) * Math.tanh(r * (c * z1 + Math.sqrt(1 - c * c) * z2))) + b2) / q - c;
    let lo = 0, hi = 0.999;
    for (let i = 0; i < 45; i++) {
      const mid = (lo + hi) / 2;
      if (gap(mid) > 0) lo = mid;
      else hi = mid;
    }
    cStar = (lo + hi) / 2;
  }
  const chiC = cStar === 1 ? chi1 : s2 * mean2((z1, z2) => sech2(r * z1) * sech2(r * (cStar * z1 + Math.sqrt(1 - cStar * cStar) * z2)));
  return { qStar: q, cStar, chiC, xiC: -1 / Math.log(chiC) };
}

describe('the phase theory of tanh against an independent computation', () => {
  it.each([[1, 0.05], [2.5, 0.05], [4, 0.1]])('σw² = %s, σb² = %s: q*, c*, χ_c and ξ_c agree (ξ_c to 1e-6 relative)', (s2, b2) => {
    const want = independent(s2, b2), got = phaseTheory('tanh', s2, b2, s2 + b2);
    expect(Math.abs(got.q_star! - want.qStar)).toBeLessThan(1e-10 * want.qStar);
    expect(Math.abs(got.c_star! - want.cStar)).toBeLessThan(1e-8);
    expect(Math.abs(got.chi_c! - want.chiC)).toBeLessThan(1e-8 * want.chiC);
    expect(Math.abs(got.xi_c! - want.xiC)).toBeLessThan(1e-6 * want.xiC);
    // the ordered point has c* = 1 and ξ_c = −1/ln χ₁; the chaotic ones a c* inside (0, 1)
    if (s2 === 1) expect(got.c_star).toBe(1);
    else expect(got.c_star!).toBeLessThan(0.9);
  }, 60_000);

  it('criticality: q* where the length map creeps (tanh at σw² = 1, σb² = 0, q ~ 3/(2l)) is 0; ReLU has no q* above σw² = 2 and its χ₁ = 1 line is σw² = 2; tanh at σb² = 0 crosses at σw² = 1/φ′(0)² = 1', () => {
    expect(lengthFixedPoint('tanh', 1, 0, 1)).toBe(0);
    expect(lengthFixedPoint('relu', 2.5, 0, 1)).toBeNull();
    // He + ReLU with a bias: q grows by σb² per layer for ever, however small the gap is beside q
    expect(lengthFixedPoint('relu', 2, 0.04, 2.04)).toBeNull();
    expect(lengthFixedPoint('relu', 1.5, 0.1, 1.6)).toBeCloseTo(0.1 / (1 - 0.75), 12);
    expect(chi1At('relu', 1.5, 0.1, 1.6)).toBeCloseTo(0.75, 14);
    expect(criticalSigmaW2('relu', 0.05)).toBeCloseTo(2, 10);
    expect(criticalSigmaW2('tanh', 0)).toBeCloseTo(1, 7);
  });
});
