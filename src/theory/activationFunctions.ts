// φ and φ′ in float64 for the theory (the kernel's own φ are in assembly/activations.ts).
import { erf } from './erf.js';

export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;
export const LEAKY_ALPHA_DEFAULT = 0.01;

export type TheoryActivation = 'identity' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'gelu' | 'selu' | 'silu';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function phiOf(name: TheoryActivation, alpha = LEAKY_ALPHA_DEFAULT): (z: number) => number {
  switch (name) {
    case 'identity': return (z) => z;
    case 'relu': return (z) => (z > 0 ? z : 0);
    case 'leaky_relu': return (z) => (z > 0 ? z : alpha * z);
    case 'tanh': return Math.tanh;
    case 'sigmoid': return sigmoid;
    case 'gelu': return (z) => 0.5 * z * (1 + erf(z / Math.SQRT2));
    case 'selu': return (z) => SELU_LAMBDA * (z > 0 ? z : SELU_ALPHA * Math.expm1(z));
    case 'silu': return (z) => z * sigmoid(z);
  }
}

/** φ′ for the gradient theory (χ = σw²·E[φ′(z)²]). */
export function phiPrimeOf(name: TheoryActivation, alpha = LEAKY_ALPHA_DEFAULT): (z: number) => number {
  switch (name) {
    case 'identity': return () => 1;
    case 'relu': return (z) => (z > 0 ? 1 : 0);
    case 'leaky_relu': return (z) => (z > 0 ? 1 : alpha);
    case 'tanh': return (z) => 1 - Math.tanh(z) ** 2;
    case 'sigmoid': return (z) => sigmoid(z) * (1 - sigmoid(z));
    case 'selu': return (z) => SELU_LAMBDA * (z > 0 ? 1 : SELU_ALPHA * Math.exp(z));
    case 'gelu': return (z) => 0.5 * (1 + erf(z / Math.SQRT2)) + (z * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
    case 'silu': return (z) => sigmoid(z) * (1 + z * (1 - sigmoid(z)));
  }
}
