import { phiOf, type TheoryActivation } from './activationFunctions.js';
import { closedForm, type Moments } from './closedForms.js';
import { splitExpectation } from './gaussLegendre.js';

/**
 * V(q) = E[φ(z)²] and M(q) = E[φ(z)] for z ~ N(0, q): the closed form where one exists, else
 * quadrature (composite Gauss–Legendre split at 0, ~1e-14; plain Gauss–Hermite with 96 nodes misses
 * tanh's V(4) by 6e-6, since tanh's poles at ±iπ/2 slow its convergence).
 */
export function moments(name: TheoryActivation, alpha?: number): Moments {
  const closed = closedForm(name, alpha);
  if (closed) return closed;
  const phi = phiOf(name, alpha);
  return { V: (q) => splitExpectation((z) => phi(z) ** 2, q), M: (q) => splitExpectation(phi, q) };
}

/** P(φ(z) = 0) for z ~ N(0, q > 0): ½ for ReLU and for leaky ReLU with α = 0 (which is ReLU), 0 for the others (a null set). */
export function zeroProbability(name: TheoryActivation, alpha?: number): number {
  return name === 'relu' || (name === 'leaky_relu' && alpha === 0) ? 0.5 : 0;
}
