// Closed forms of V(q) = E[φ(z)²] and M(q) = E[φ(z)] for z ~ N(0, q), where they exist.
import { SELU_ALPHA, SELU_LAMBDA, type TheoryActivation } from './activationFunctions.js';
import { normalCdf } from './erf.js';

export interface Moments {
  V: (q: number) => number;
  M: (q: number) => number;
}

/** The closed forms the theory issue lists; undefined where quadrature must do. */
export function closedForm(name: TheoryActivation, alpha = 0.01): Moments | undefined {
  const halfNormalMean = (q: number) => Math.sqrt(q / (2 * Math.PI));
  switch (name) {
    case 'identity':
      return { V: (q) => q, M: () => 0 };
    case 'relu':
      return { V: (q) => q / 2, M: halfNormalMean };
    case 'leaky_relu':
      return { V: (q) => ((1 + alpha * alpha) * q) / 2, M: (q) => (1 - alpha) * halfNormalMean(q) };
    case 'gelu':
      return {
        V: (q) => q * (0.25 + (1 / Math.PI) * (q / ((1 + q) * Math.sqrt(1 + 2 * q)) + 0.5 * Math.atan(q / Math.sqrt(1 + 2 * q)))),
        M: (q) => q / Math.sqrt(2 * Math.PI * (1 + q)),
      };
    case 'selu':
      return {
        V: (q) => {
          const s = Math.sqrt(q);
          return SELU_LAMBDA ** 2 * (q / 2 + SELU_ALPHA ** 2 * (Math.exp(2 * q) * normalCdf(-2 * s) - 2 * Math.exp(q / 2) * normalCdf(-s) + 0.5));
        },
        // E[λ(z⁺) + λα(e^z − 1)·1{z<0}] = λ[√(q/2π) + α(e^{q/2}Φ(−√q) − ½)]
        M: (q) => SELU_LAMBDA * (halfNormalMean(q) + SELU_ALPHA * (Math.exp(q / 2) * normalCdf(-Math.sqrt(q)) - 0.5)),
      };
    default:
      return undefined;
  }
}
