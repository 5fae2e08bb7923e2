import { ACTIVATIONS, LEAKY_ALPHA_DEFAULT, type ActivationName } from './activations.js';
import { closedForm, type Moments } from './closedForms.js';
import { evenExpectation } from './gaussianExpectation.js';
import { tanh } from './portableMath.js';

export type { Moments } from './closedForms.js';

/**
 * V(q), M(q) and S(q) for z ~ N(0, q): the closed form where one exists, else quadrature of the
 * even part (φ(z) + φ(−z))/2, written so that nothing cancels. Each is good to 1e-10 relative (in
 * practice ~1e-14) for q from 1e-30 to 1e6; test/theory/theory.test.ts checks this on a log grid against
 * an independent double-exponential rule.
 */
export function moments(name: ActivationName, alpha = LEAKY_ALPHA_DEFAULT): Moments {
  const closed = closedForm(name, alpha), even = evenParts(name, alpha);
  return {
    V: closed.V ?? ((q) => evenExpectation(even.V, q)),
    M: closed.M ?? ((q) => evenExpectation(even.M, q)),
    S: closed.S ?? ((q) => evenExpectation(even.S, q)),
  };
}

/** The even parts of φ², φ and φ′² at |z| = z. SiLU's φ is z/2 plus an even part, and folding
 * zσ(z) − zσ(−z) would cancel that z/2 to ~1e-16/z relative, so its even part is written out. */
function evenParts(name: ActivationName, alpha: number): Record<keyof Moments, (z: number) => number> {
  const { phi: phiAt, phiPrime } = ACTIVATIONS[name], phi = (z: number) => phiAt(z, alpha);
  return {
    V: evenPartOfSquare(phi),
    M: name === 'silu' ? (z) => (z / 2) * tanh(z / 2) : (z) => (phi(z) + phi(-z)) / 2,
    S: evenPartOfSquare((z) => phiPrime(z, alpha)),
  };
}

const evenPartOfSquare = (f: (z: number) => number) => (z: number) => (f(z) ** 2 + f(-z) ** 2) / 2;

/** P(φ(z) = 0) for z ~ N(0, q > 0): ½ for ReLU and for leaky ReLU with α = 0 (which is ReLU), 0 for the others (a null set). */
export function zeroProbability(name: ActivationName, alpha = LEAKY_ALPHA_DEFAULT): number {
  return ACTIVATIONS[name].readOffA?.zeroMass(alpha) ?? 0;
}
