// The spectrum of JJᵀ for the input–output Jacobian J = D_L W_L ⋯ D_1 W_1 of a deep network at
// initialization, by free probability: the S-transforms of the layers' W_lW_lᵀ and D_l² multiply
// (Pennington, Schoenholz & Ganguli 2017, "Resurrecting the sigmoid in deep learning through
// dynamical isometry", arXiv 1711.04735, §2.3–2.4; 2018, "The emergence of spectral universality in
// deep networks", arXiv 1802.09979, §2). Its first two moments follow in closed form.
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { evenExpectation } from './gaussianExpectation.js';

/** One layer as the spectrum sees it: its weights' σw² and kind, and the variance q of its pre-activations h. */
export interface SpectrumLayer {
  sigmaW2: number;
  /** Gaussian entries (S_{WWᵀ} = 1/(σw²(1 + z))) or orthogonal rows (S_{WWᵀ} = 1/σw²). */
  weights: 'gaussian' | 'orthogonal';
  q: number;
  /** Its widths n_{l−1} and n_l where they differ between layers (both absent: square). */
  fanIn?: number;
  fanOut?: number;
}

/** E[φ′(h)²] and E[φ′(h)⁴] for h ~ N(0, q): the first two moments of D² (folded onto |h| for the quadrature). */
export function slopeMoments(name: ActivationName, alpha: number, q: number): { m1: number; m2: number } {
  const square = (z: number) => ACTIVATIONS[name].phiPrime(z, alpha) * ACTIVATIONS[name].phiPrime(z, alpha);
  return {
    m1: evenExpectation((z) => (square(z) + square(-z)) / 2, q),
    m2: evenExpectation((z) => (square(z) * square(z) + square(-z) * square(-z)) / 2, q),
  };
}

/**
 * The mean and the normalized variance of the measured eigenvalues of JJᵀ (the smaller Gram's, min(n_0, n_L)
 * per input). Square layers: m₁ = Π_l σw²·E[φ′(h_l)²] (= Π χ_l) and v = m₂/m₁² − 1 = Σ_l (v_W + E[φ′⁴]/E[φ′²]² − 1),
 * v_W = 1 for Gaussian and 0 for orthogonal weights: S_{JJᵀ} = Π S_{W_lW_lᵀ}·S_{D_l²} with S(0) = 1/m₁ and
 * S′(0)/S(0) = −v for each factor, and these add (1711.04735, §2.4). Rectangular layers (spectrumSystem.ts):
 * over n_L dimensions m₁ = (n_0/n_L)·Π χ_l and v = n_L/n_0 − 1 + Σ_l [r_l·v_{D,l} + r_{l−1}·w_l] with
 * r_l = n_L/n_l and w_l = n_{l−1}/n_l (Gaussian), n_{l−1}/n_l − 1 (orthogonal rows), 0 (orthogonal columns);
 * where n_L > n_0 the measured n_0 values hold all of the mass: m₁·n_L/n_0 and 1 + v scaled by n_0/n_L.
 */
export function spectrumMoments(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): { mean: number; normalizedVariance: number } {
  const n0 = layers[0]?.fanIn ?? 1, nL = layers[layers.length - 1]?.fanOut ?? 1;
  let mean = n0 / nL, normalizedVariance = nL / n0 - 1;
  for (const layer of layers) {
    const nIn = layer.fanIn ?? 1, nOut = layer.fanOut ?? 1, { m1, m2 } = slopeMoments(name, alpha, layer.q);
    mean *= layer.sigmaW2 * (nOut / nIn) * m1;
    const w = layer.weights === 'gaussian' ? nIn / nOut : nOut < nIn ? nIn / nOut - 1 : 0;
    normalizedVariance += (nL / nOut) * (m2 / (m1 * m1) - 1) + (nL / nIn) * w;
  }
  // a variance is not negative: orthogonal identity's Σ of zeros comes out as ±1e-15 from the quadrature's rounding
  if (nL > n0) return { mean: (mean * nL) / n0, normalizedVariance: Math.max(0, (n0 / nL) * (1 + normalizedVariance) - 1) };
  return { mean, normalizedVariance: Math.max(0, normalizedVariance) };
}

/** The right edge of the Fuss–Catalan law, the spectrum of JJᵀ for a linear Gaussian network of depth L at σw² = 1: (L + 1)^(L+1)/L^L. */
export function fussCatalanEdge(depth: number): number {
  // (1 + 1/L)^L · (L + 1) by repeated multiplication: no engine pow in the theory
  let edge = depth + 1;
  for (let i = 0; i < depth; i++) edge *= (depth + 1) / depth;
  return edge;
}
