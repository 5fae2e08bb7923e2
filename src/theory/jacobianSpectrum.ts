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
 * The mean and the normalized variance of the eigenvalues of JJᵀ. The mean is
 * m₁ = Π_l σw²·E[φ′(h_l)²] (= Π χ_l). The normalized variance is v = m₂/m₁² − 1 = Σ_l (v_W + E[φ′⁴]/E[φ′²]² − 1),
 * where v_W = 1 for Gaussian and 0 for orthogonal weights. The second follows from S_{JJᵀ} = Π S_{W_lW_lᵀ}·S_{D_l²}:
 * S(0) = 1/m₁ and S′(0)/S(0) = −v for each factor, and these add (1711.04735, §2.4).
 */
export function spectrumMoments(name: ActivationName, alpha: number, layers: readonly SpectrumLayer[]): { mean: number; normalizedVariance: number } {
  let mean = 1, normalizedVariance = 0;
  for (const layer of layers) {
    const { m1, m2 } = slopeMoments(name, alpha, layer.q);
    mean *= layer.sigmaW2 * m1;
    normalizedVariance += (layer.weights === 'gaussian' ? 1 : 0) + m2 / (m1 * m1) - 1;
  }
  return { mean, normalizedVariance };
}

/** The right edge of the Fuss–Catalan law, the spectrum of JJᵀ for a linear Gaussian network of depth L at σw² = 1: (L + 1)^(L+1)/L^L. */
export function fussCatalanEdge(depth: number): number {
  // (1 + 1/L)^L · (L + 1) by repeated multiplication: no engine pow in the theory
  let edge = depth + 1;
  for (let i = 0; i < depth; i++) edge *= (depth + 1) / depth;
  return edge;
}
