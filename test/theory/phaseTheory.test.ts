import { describe, expect, it } from 'vitest';
import { phaseTheory } from '../../src/theory/correlationMap.js';
import { chi1At, criticalSigmaW2, lengthFixedPoint } from '../../src/theory/criticality.js';

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

describe('ReLU and leaky ReLU: c* = 1 on both sides of χ₁ = 1 (the arc-cosine map has no other fixed point)', () => {
  it('σw² = 2 + 1 ulp, what --gain auto forms as (√2)², gives He + ReLU\'s phase: c* = 1 and ξ_c = null', () => {
    const auto = Math.SQRT2 * Math.SQRT2;
    expect(auto).toBeGreaterThan(2);
    const he = phaseTheory('relu', 2, 0, 2), byGain = phaseTheory('relu', auto, 0, auto);
    expect(he.c_star).toBe(1);
    expect(byGain.c_star).toBe(1);
    expect(byGain.xi_c).toBe(he.xi_c);
    expect(byGain.xi_c).toBeNull();
    // leaky ReLU at its own auto gain, 2/(1 + α²), and 1 ulp either side of it
    const s2 = 2 / (1 + 0.01 * 0.01);
    for (const s of [s2, s2 * (1 + 2 ** -52), s2 * (1 - 2 ** -52)]) expect(phaseTheory('leaky_relu', s, 0, s, 0.01).c_star).toBe(1);
  });

  it('a smooth φ on its χ₁ = 1 line (tanh, σb² = 0.05) is ordered, with χ₁ within the 1e-12 band; well past it, chaotic', () => {
    const edge = criticalSigmaW2('tanh', 0.05)!;
    for (const s2 of [edge, edge * (1 + 1e-14), edge * (1 - 1e-14)]) {
      const at = phaseTheory('tanh', s2, 0.05, s2 + 0.05);
      expect(Math.abs(at.chi1! - 1)).toBeLessThan(1e-12);
      expect(at.c_star).toBe(1);
    }
    expect(phaseTheory('tanh', 2.5, 0.05, 2.55).c_star!).toBeLessThan(0.9);
    const ordered = phaseTheory('relu', 1.5, 0.1, 1.6);
    expect(ordered.c_star).toBe(1);
    expect(ordered.xi_c).toBeCloseTo(-1 / Math.log(0.75), 10);
  }, 30_000);
});
