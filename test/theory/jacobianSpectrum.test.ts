// The spectrum's moments in closed form, against independent computations.
import { describe, expect, it } from 'vitest';
import { fussCatalanEdge, slopeMoments, spectrumMoments, type SpectrumLayer } from '../../src/theory/jacobianSpectrum.js';
import { spectrumRightEdge } from '../../src/theory/spectrumDensity.js';
import { ACTIVATIONS, type ActivationName } from '../../src/theory/activations.js';

/**
 * E[φ′(h)^power], h ~ N(0, q), by the trapezoid rule on 400 001 points over each half line to 14 sd (each
 * half on its own, so SELU's jump in φ′ at 0 falls on an end point): independent of the theory's
 * panels of Gauss–Legendre.
 */
function trapezoid(name: ActivationName, alpha: number, q: number, power: number): number {
  // its own error is O(step²): 2e-10 relative for SELU at this step, 3e-9 at 4× the step
  const sd = Math.sqrt(q), points = 400_000, step = (14 * sd) / points;
  let sum = 0;
  for (let i = 0; i <= points; i++) {
    // at 0, each half's own one-sided limit
    const z = i === 0 ? 1e-300 : i * step, weight = i === 0 || i === points ? 0.5 : 1;
    const slopes = ACTIVATIONS[name].phiPrime(z, alpha) ** power + ACTIVATIONS[name].phiPrime(-z, alpha) ** power;
    sum += weight * slopes * Math.exp((-z * z) / (2 * q));
  }
  return (sum * step) / Math.sqrt(2 * Math.PI * q);
}

const layers = (depth: number, sigmaW2: number, weights: SpectrumLayer['weights'], q = 1): SpectrumLayer[] => Array.from({ length: depth }, () => ({ sigmaW2, weights, q }));

describe('the Jacobian spectrum: moments by free probability', () => {
  it('a linear Gaussian network of depth L: mean 1, normalized variance L, and the Fuss–Catalan edge (L + 1)^(L+1)/L^L', () => {
    for (const depth of [1, 2, 5, 20]) {
      const { mean, normalizedVariance } = spectrumMoments('identity', 0, layers(depth, 1, 'gaussian'));
      expect(mean).toBeCloseTo(1, 12);
      expect(normalizedVariance).toBeCloseTo(depth, 12);
      expect(fussCatalanEdge(depth) / ((depth + 1) ** (depth + 1) / depth ** depth) - 1).toBeLessThan(1e-13);
    }
    // depth 1 is Marchenko–Pastur at ratio 1: edge 4
    expect(fussCatalanEdge(1)).toBe(4);
    const orthogonal = spectrumMoments('identity', 0, layers(20, 1, 'orthogonal'));
    expect(orthogonal.mean).toBeCloseTo(1, 12);
    expect(orthogonal.normalizedVariance).toBeCloseTo(0, 12);
  });

  it('He + ReLU: mean 1 and normalized variance 2L with Gaussian weights, L with orthogonal ones (to 1e-12)', () => {
    for (const depth of [1, 8, 32]) {
      const gaussian = spectrumMoments('relu', 0, layers(depth, 2, 'gaussian', 0.7));
      expect(gaussian.mean).toBeCloseTo(1, 12);
      expect(gaussian.normalizedVariance / (2 * depth) - 1).toBeLessThan(1e-12);
      expect(spectrumMoments('relu', 0, layers(depth, 2, 'orthogonal', 0.7)).normalizedVariance / depth - 1).toBeLessThan(1e-12);
    }
  });

  it.each([['tanh', 0.3], ['tanh', 2.5], ['gelu', 1], ['silu', 0.4], ['sigmoid', 1.7], ['selu', 0.8]] as const)('%s at q = %f: E[φ′²] and E[φ′⁴] equal a trapezoid-rule integral to 1e-9, so the moments do', (name, q) => {
    const { m1, m2 } = slopeMoments(name, 0.01, q);
    expect(Math.abs(m1 / trapezoid(name, 0.01, q, 2) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(m2 / trapezoid(name, 0.01, q, 4) - 1)).toBeLessThan(1e-9);
    const { mean, normalizedVariance } = spectrumMoments(name, 0.01, [{ sigmaW2: 1.3, weights: 'gaussian', q }, { sigmaW2: 0.9, weights: 'orthogonal', q: q / 2 }]);
    const second = slopeMoments(name, 0.01, q / 2);
    expect(mean / (1.3 * m1 * 0.9 * second.m1) - 1).toBeLessThan(1e-12);
    expect(normalizedVariance).toBeCloseTo(1 + m2 / (m1 * m1) - 1 + second.m2 / (second.m1 * second.m1) - 1, 12);
  });

  it('the right edge: Fuss–Catalan for linear Gaussian networks (to 1e-9), Marchenko–Pastur for one He + ReLU layer (2(1 + 1/√2)²), Π σw² for orthogonal identity, and ReLU\'s closed form at every depth', () => {
    const edge = (name: ActivationName, ls: SpectrumLayer[]) => spectrumRightEdge(name, 0.01, ls);
    for (const depth of [1, 2, 3, 8, 20, 32]) expect(Math.abs(edge('identity', layers(depth, 1, 'gaussian')) / fussCatalanEdge(depth) - 1), `L = ${depth}`).toBeLessThan(1e-9);
    // σw² scales every eigenvalue of a linear network by σw² per layer
    expect(edge('identity', layers(3, 2, 'gaussian')) / (8 * fussCatalanEdge(3)) - 1).toBeLessThan(1e-9);
    // one ReLU layer with Gaussian weights: the nonzero half is Marchenko–Pastur of ratio ½ at σw²/2 per entry
    expect(edge('relu', layers(1, 2, 'gaussian')) / (2 * (1 + Math.SQRT1_2) ** 2) - 1).toBeLessThan(1e-9);
    expect(edge('identity', layers(20, 1.5, 'orthogonal')) / 1.5 ** 20 - 1).toBeLessThan(1e-12);
    // no maximum: χ's limit where the inner inverse reaches its pole, to 1e-9
    expect(edge('relu', layers(1, 2, 'orthogonal'))).toBeCloseTo(2, 9);
    for (const depth of [2, 4, 8, 32]) for (const kind of ['gaussian', 'orthogonal'] as const) {
      expect(Math.abs(edge('relu', layers(depth, 2, kind)) / closedFormReluEdge(depth, 2, kind) - 1), `${kind} L = ${depth}`).toBeLessThan(1e-9);
    }
    // one orthogonal tanh layer: σw²·max φ′² = σw² (at h = 0)
    expect(edge('tanh', layers(1, 1.3, 'orthogonal', 0.2)) / 1.3 - 1).toBeLessThan(1e-6);
  });
});

/**
 * ReLU's edge from its closed-form S-transform, S_{D²}(y) = 2(1 + y)/(1 + 2y) (D² ∈ {0, 1}, each ½):
 * χ(y) = y/(1 + y)·Π S_W·S_D, maximized where d log χ/dy = 1/y − 1/(1 + y) + L·[1/(1 + y) − 2/(1 + 2y)]
 * − G/(1 + y) vanishes (found by bisection), edge 1/χ(y*). Written apart from the theory's general solver.
 */
function closedFormReluEdge(depth: number, sigmaW2: number, kind: SpectrumLayer['weights']): number {
  const gaussian = kind === 'gaussian' ? depth : 0;
  const slope = (y: number) => 1 / y - 1 / (1 + y) + depth * (1 / (1 + y) - 2 / (1 + 2 * y)) - gaussian / (1 + y);
  let lo = 1e-12, hi = 1;
  while (slope(hi) > 0) hi *= 2;
  for (let i = 0; i < 300; i++) {
    const mid = (lo + hi) / 2;
    if (slope(mid) > 0) lo = mid;
    else hi = mid;
  }
  const y = (lo + hi) / 2;
  const chi = (y / (1 + y)) * ((2 * (1 + y)) / (1 + 2 * y)) ** depth / sigmaW2 ** depth / (1 + y) ** gaussian;
  return 1 / chi;
}
