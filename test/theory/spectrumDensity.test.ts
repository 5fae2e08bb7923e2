// The density of the Jacobian spectrum by Newton continuation (theory/spectrumDensity.ts), against
// Marchenko–Pastur in closed form, its own mass and its first two moments in closed form.
import { describe, expect, it } from 'vitest';
import { spectrumDensity, spectrumRightEdge, spectrumZeroFraction } from '../../src/theory/spectrumDensity.js';
import { spectrumMoments, type SpectrumLayer } from '../../src/theory/jacobianSpectrum.js';
import { slopeLaw, transformsOf } from '../../src/theory/slopeLaw.js';
import { slopeMoments } from '../../src/theory/jacobianSpectrum.js';
import type { ActivationName } from '../../src/theory/activations.js';

const layers = (depth: number, sigmaW2: number, weights: SpectrumLayer['weights'], q = 1): SpectrumLayer[] => Array.from({ length: depth }, () => ({ sigmaW2, weights, q }));
const rectangular = (widths: number[], sigmaW2: number, weights: SpectrumLayer['weights'], q = 1): SpectrumLayer[] => widths.slice(1).map((fanOut, i) => ({ sigmaW2, weights, q, fanIn: widths[i], fanOut }));
const grid = (from: number, to: number, points: number) => Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1));

/** ∫ λ^power p(u) du over the grid of u = log10 λ by the trapezoid rule. */
function integral(us: number[], density: number[], power: number): number {
  let sum = 0;
  for (let i = 1; i < us.length; i++) sum += ((us[i] - us[i - 1]) * (density[i] * 10 ** (power * us[i]) + density[i - 1] * 10 ** (power * us[i - 1]))) / 2;
  return sum;
}

/**
 * The density on 6000 points from 10^bottom to 2 × its edge: mass 1 (2e-3), and the closed forms' mean (2e-3) and
 * second moment (5e-3). The moments are over the measured eigenvalues, zeros included: the density's over its nonzero share.
 */
function expectMassAndMoments(name: ActivationName, alpha: number, ls: SpectrumLayer[], bottom: number): { edge: number; us: number[]; density: number[] } {
  const edge = spectrumRightEdge(name, alpha, ls), us = grid(bottom, Math.log10(edge) + 0.3, 6000);
  const density = spectrumDensity(name, alpha, ls, us)!;
  const nonzero = 1 - spectrumZeroFraction(name, alpha, ls), { mean, normalizedVariance } = spectrumMoments(name, alpha, ls);
  expect(Math.abs(integral(us, density, 0) - 1)).toBeLessThan(2e-3);
  expect(Math.abs((integral(us, density, 1) * nonzero) / mean - 1)).toBeLessThan(2e-3);
  expect(Math.abs((integral(us, density, 2) * nonzero) / (mean * mean * (1 + normalizedVariance)) - 1)).toBeLessThan(5e-3);
  return { edge, us, density };
}

describe('the density of the Jacobian spectrum', () => {
  it('one linear Gaussian layer is Marchenko–Pastur at ratio 1: ρ(λ) = √(λ(4σ² − λ))/(2πσ²λ), to 1e-6 relative', () => {
    for (const sigmaW2 of [1, 2.5]) {
      const us = grid(-3, Math.log10(3.9 * sigmaW2), 200), density = spectrumDensity('identity', 0, layers(1, sigmaW2, 'gaussian'), us)!;
      us.forEach((u, i) => {
        const lambda = 10 ** u, rho = Math.sqrt(lambda * (4 * sigmaW2 - lambda)) / (2 * Math.PI * sigmaW2 * lambda);
        expect(Math.abs(density[i] / (rho * lambda * Math.LN10) - 1), `λ = ${lambda}`).toBeLessThan(1e-6);
      });
    }
  });

  // Below the grid, the mass left out follows the density's own power law near 0 (λ^{−L/(L+1)} for square
  // Gaussian nets without an atom at 0, so ~10^{bottom/(L+1)}; ReLU's nonzero part and the orthogonal tanh
  // net have a gap above 0);
  // the trapezoid rule on 6000 points costs ~1e-4 at the square-root edges. Tolerances 2e-3 on the mass and
  // the mean, 5e-3 on the second moment; a wrong branch or a law of D² off by a factor fails them by far.
  it.each([
    ['relu', layers(2, 2, 'gaussian'), -20],
    ['relu', layers(4, 2, 'orthogonal'), -20],
    ['leaky_relu', layers(3, 1.9, 'gaussian'), -45],
    ['tanh', layers(8, 1.05, 'orthogonal', 0.05), -4],
    ['tanh', [1.2, 0.9, 0.75, 0.7].map((q) => ({ sigmaW2: 1.5, weights: 'gaussian' as const, q })), -30],
    ['gelu', layers(3, 1.5, 'gaussian'), -30],
    ['selu', layers(2, 1, 'gaussian', 1), -40],
  ] as [ActivationName, SpectrumLayer[], number][])('%s: the density over the nonzero eigenvalues integrates to 1, and its mean and second moment are the closed forms', (name, ls, bottom) => {
    const { edge, us, density } = expectMassAndMoments(name, 0.1, ls, bottom);
    // nothing beyond the right edge but the Cauchy kernel's tail
    expect(Math.max(...density.filter((_, i) => us[i] > Math.log10(edge) + 0.01))).toBeLessThan(1e-6);
  });

  it('the atom at 0 is the largest of the layers\' (ReLU ½, none for smooth φ), and a point mass has no density', () => {
    expect(spectrumZeroFraction('relu', 0, layers(3, 2, 'gaussian'))).toBe(0.5);
    expect(spectrumZeroFraction('tanh', 0, layers(3, 1, 'gaussian'))).toBe(0);
    // the least rank: a ReLU layer of 64 units in a 100 → 64 → 100 net keeps 32 of the 100 measured values
    expect(spectrumZeroFraction('relu', 0, rectangular([100, 64, 100], 2, 'gaussian'))).toBeCloseTo(1 - 32 / 100, 12);
    expect(spectrumDensity('identity', 0, layers(20, 1, 'orthogonal'), [-1, 0])).toBeNull();
    expect(spectrumDensity('relu', 0, layers(1, 2, 'orthogonal'), [-1, 0])).toBeNull();
    // one orthogonal SELU layer: half its nonzero eigenvalues sit at σw²λ²
    expect(spectrumDensity('selu', 0, layers(1, 1, 'orthogonal'), [-1, 0])).toBeNull();
    expect(spectrumDensity('selu', 0, layers(2, 1, 'orthogonal'), [-1, 0])).not.toBeNull();
    // one orthogonal tanh layer: σw²·φ′(h)², a continuous law
    expect(spectrumDensity('tanh', 0, layers(1, 1, 'orthogonal', 0.3), [-1, 0])).not.toBeNull();
  });

  it('the law of D²: its mean is the 20-node expectation\'s to 1e-12 and its E[D⁴] within 1e-4; ReLU\'s is exactly {0: ½, 1: ½}; the series and the closed form of ψ agree where they meet', () => {
    for (const [name, q] of [['tanh', 0.05], ['tanh', 3], ['gelu', 1], ['silu', 0.4], ['selu', 0.8], ['sigmoid', 1.7]] as const) {
      const law = slopeLaw(name, 0.01, q), { m1, m2 } = slopeMoments(name, 0.01, q);
      expect(Math.abs(law.moments[0] - 1), `${name} q = ${q}`).toBeLessThan(1e-12);
      expect(Math.abs(law.moments[1] / m1 - 1), `${name} q = ${q}`).toBeLessThan(1e-12);
      expect(Math.abs(law.moments[2] / m2 - 1), `${name} q = ${q}`).toBeLessThan(1e-4);
      // just inside and just outside the series' disc |z|·max = ¼, in several directions of the lower half plane
      for (const angle of [0, -0.3, -1.2, -2.5, -Math.PI]) {
        const at = (r: number) => transformsOf(law, (r / law.max) * Math.cos(angle), (r / law.max) * Math.sin(angle));
        const inside = at(0.25 * (1 - 1e-12)), outside = at(0.25 * (1 + 1e-12));
        inside.forEach((v, i) => expect(Math.abs(v - outside[i]), `${name} q = ${q} angle ${angle} part ${i}`).toBeLessThan(1e-9 * (1 + Math.abs(v))));
      }
    }
    const relu = slopeLaw('relu', 0, 0.7);
    expect(Array.from(relu.atomValues)).toEqual([0, 1]);
    expect(relu.atomWeights[0]).toBeCloseTo(0.5, 15);
    expect(relu.edges.length).toBe(0);
  });

  it('one linear Gaussian layer n_1 × n_0 is Marchenko–Pastur at ratio β = n_1/n_0: ρ(λ) = √((λ₊ − λ)(λ − λ₋))/(2πσ²βλ), λ± = σ²(1 ± √β)², to 1e-6', () => {
    for (const [n0, n1] of [[200, 100], [100, 300]]) {
      const beta = n1 / n0, sigmaW2 = 1.3, lo = sigmaW2 * (1 - Math.sqrt(beta)) ** 2, hi = sigmaW2 * (1 + Math.sqrt(beta)) ** 2;
      const ls = rectangular([n0, n1], sigmaW2, 'gaussian'), us = grid(Math.log10(lo * 1.01), Math.log10(hi * 0.99), 100);
      const density = spectrumDensity('identity', 0, ls, us)!;
      expect(Math.abs(spectrumRightEdge('identity', 0, ls) / hi - 1)).toBeLessThan(1e-9);
      // W Wᵀ (n_1 × n_1) with entries σ²/n_0: its nonzero eigenvalues, min(n_0, n_1) of them, have this law
      // (of the n_1 × n_1 matrix's nonzero part, normalized to 1)
      us.forEach((u, i) => {
        const lambda = 10 ** u, rho = Math.sqrt((hi - lambda) * (lambda - lo)) / (2 * Math.PI * sigmaW2 * Math.min(beta, 1) * lambda);
        expect(Math.abs(density[i] / (rho * lambda * Math.LN10) - 1), `${n0} → ${n1}, λ = ${lambda}`).toBeLessThan(1e-6);
      });
    }
  });

  it.each([
    ['relu', rectangular([96, 64, 128, 80], 2, 'gaussian'), -20],
    ['tanh', rectangular([96, 64, 128, 80], 1.5, 'gaussian', 0.6), -30],
    ['tanh', rectangular([128, 64, 96, 160], 1.1, 'orthogonal', 0.3), -30],
    ['gelu', rectangular([64, 128], 1.4, 'orthogonal'), -30],
  ] as [ActivationName, SpectrumLayer[], number][])('unequal widths, %s: the density integrates to 1 and has the closed forms\' mean and second moment', (name, ls, bottom) => {
    expectMassAndMoments(name, 0, ls, bottom);
  });
});
