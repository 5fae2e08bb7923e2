import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../src/theory/activations.js';
import { correlationStep, pairMoment, pairMomentByQuadrature, phaseTheory } from '../src/theory/correlationMap.js';
import { evenExpectation } from '../src/theory/gaussianExpectation.js';
import { moments } from '../src/theory/moments.js';

// The correlation map's pair moment E[φ(u₁)φ(u₂)], by closed form and by the nested rule, against
// references that share no code with it. The issue asks for 1e-10; each check states its tolerance.
const closeRelative = (got: number, want: number, tolerance: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(want), 1e-300));

describe('the correlation map', () => {
  const cases = [[1, 1, 0.5], [2, 0.5, -0.3], [100, 100, 0.99], [1e-4, 1e-4, 0.9], [1, 1, 0.999999], [0.3, 5, 0]] as const;

  it.each(cases)('ReLU: the nested rule equals the arc-cosine closed form to 1e-10 (q₁ = %s, q₂ = %s, c = %s)', (q1, q2, c) => {
    closeRelative(pairMomentByQuadrature((z) => Math.max(0, z), q1, q2, c), pairMoment('relu', q1, q2, c), 1e-10);
  });

  it('leaky ReLU (α = 0.2): the closed form equals the nested rule to 1e-10; α = 0 is ReLU', () => {
    for (const [q1, q2, c] of cases.slice(0, 3)) {
      closeRelative(pairMoment('leaky_relu', q1, q2, c, 0.2), pairMomentByQuadrature((z) => (z > 0 ? z : 0.2 * z), q1, q2, c), 1e-10);
      expect(pairMoment('leaky_relu', q1, q2, c, 0)).toBe(pairMoment('relu', q1, q2, c));
    }
  });

  it('at c = 1 the pair moment is E[φ(z)²] = V(q), for every activation, to 1e-12', () => {
    for (const name of Object.keys(ACTIVATIONS) as (keyof typeof ACTIVATIONS)[]) {
      for (const q of [0.5, 1, 10]) closeRelative(pairMoment(name, q, q, 1), moments(name).V(q), 1e-12);
    }
  });

  it('tanh: the nested rule equals a 2-D trapezoid rule (step 1/40 on [−10, 10]², geometric for an analytic φ) to 1e-12', () => {
    for (const [q, c] of [[1, 0.5], [4, 0.9], [0.3, -0.7]]) {
      const h = 1 / 40, s = Math.sqrt(q), o = Math.sqrt(1 - c * c);
      let sum = 0;
      for (let i = -400; i <= 400; i++) {
        for (let j = -400; j <= 400; j++) {
          const z1 = i * h, z2 = j * h;
          sum += Math.tanh(s * z1) * Math.tanh(s * (c * z1 + o * z2)) * Math.exp(-(z1 * z1 + z2 * z2) / 2);
        }
      }
      closeRelative(pairMoment('tanh', q, q, c), (sum * h * h) / (2 * Math.PI), 1e-12);
    }
  });

  it('one step: He + ReLU maps c to (sin θ + (π − θ)c)/π; identity to (σw²qc + σb²)/(σw²q + σb²); c = 1 stays 1', () => {
    for (const c of [-0.5, 0, 0.5, 0.9]) {
      const theta = Math.acos(c);
      closeRelative(correlationStep('relu', 1.3, c, 2, 0), (Math.sin(theta) + (Math.PI - theta) * c) / Math.PI, 1e-14);
      closeRelative(correlationStep('identity', 2, c, 1.5, 0.1), (1.5 * 2 * c + 0.1) / (1.5 * 2 + 0.1), 1e-14);
    }
    for (const name of ['tanh', 'gelu', 'selu'] as const) closeRelative(correlationStep(name, 0.8, 1, 1.7, 0.05), 1, 1e-12);
  });

  it('order and chaos, ReLU: He is critical (q* = the first q, χ₁ = χ_c = 1, c* = 1, no finite ξ_c); Xavier decays to q* = 0 with χ₁ = ½', () => {
    expect(phaseTheory('relu', 2, 0, 1.7)).toEqual({ q_star: 1.7, c_star: 1, chi1: 1, chi_c: 1, xi_c: null });
    expect(phaseTheory('relu', 1, 0, 1)).toEqual({ q_star: 0, c_star: null, chi1: 0.5, chi_c: null, xi_c: null });
  });

  it('order: tanh with σw² = 0.8, σb² = 0.05 has c* = 1 and χ_c = χ₁ = σw²·S(q*) < 1 at the fixed point q* of the length map', () => {
    const t = phaseTheory('tanh', 0.8, 0.05, 1);
    const { V, S } = moments('tanh');
    closeRelative(0.8 * V(t.q_star!) + 0.05, t.q_star!, 1e-12);
    expect(t.c_star).toBe(1);
    closeRelative(t.chi1!, 0.8 * S(t.q_star!), 1e-14);
    expect(t.chi_c).toBe(t.chi1);
    closeRelative(t.xi_c!, -1 / Math.log(t.chi1!), 1e-14);
  });

  it('chaos: tanh with σw² = 1.5 and no bias has c* = 0 and χ_c = σw²·E[φ′]², by the 1-D rule, to 1e-10', () => {
    const t = phaseTheory('tanh', 1.5, 0, 1);
    expect(t.chi1!).toBeGreaterThan(1);
    expect(Math.abs(t.c_star!)).toBeLessThan(1e-12);
    const meanSlope = evenExpectation((z) => 1 - Math.tanh(z) ** 2, t.q_star!);
    closeRelative(t.chi_c!, 1.5 * meanSlope ** 2, 1e-10);
  });

  it('chaos with bias: tanh with σw² = 3, σb² = 0.2 has C(c*) = c* < 1 and χ_c equal to the slope of C at c* (central difference, 1e-6)', () => {
    const t = phaseTheory('tanh', 3, 0.2, 1);
    const C = (c: number) => correlationStep('tanh', t.q_star!, c, 3, 0.2);
    expect(t.c_star!).toBeLessThan(1);
    expect(Math.abs(C(t.c_star!) - t.c_star!)).toBeLessThan(1e-11);
    const h = 1e-4;
    expect(Math.abs(t.chi_c! - (C(t.c_star! + h) - C(t.c_star! - h)) / (2 * h))).toBeLessThan(1e-6);
    closeRelative(t.xi_c!, -1 / Math.log(t.chi_c!), 1e-14);
  }, 30_000);
});
