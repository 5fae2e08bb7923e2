import { LEAKY_ALPHA_DEFAULT, SELU_ALPHA, SELU_LAMBDA, type TheoryActivation } from './activationFunctions.js';

/** A distribution on the real line: a density (where continuous) and point masses. */
export interface Density {
  pdf: (v: number) => number;
  atoms: { at: number; p: number }[];
}

const normalPdf = (z: number, q: number) => Math.exp((-0.5 * z * z) / q) / Math.sqrt(2 * Math.PI * q);

/** z ~ N(0, q). */
export function zDensity(q: number): Density {
  return { pdf: (v) => normalPdf(v, q), atoms: [] };
}

/**
 * The law of a = φ(z) for z ~ N(0, q), by change of variables where φ is monotone: ReLU gives the
 * rectified Gaussian (half-normal on a > 0 plus mass ½ at 0). GELU and SiLU are not monotone:
 * undefined (no overlay).
 */
export function aDensity(activation: TheoryActivation, q: number, alpha = LEAKY_ALPHA_DEFAULT): Density | undefined {
  const pz = (z: number) => normalPdf(z, q);
  switch (activation) {
    case 'identity':
      return zDensity(q);
    case 'relu':
      return { pdf: (a) => (a > 0 ? pz(a) : 0), atoms: [{ at: 0, p: 0.5 }] };
    case 'leaky_relu':
      return { pdf: (a) => (a > 0 ? pz(a) : alpha > 0 ? pz(a / alpha) / alpha : 0), atoms: alpha > 0 ? [] : [{ at: 0, p: 0.5 }] };
    case 'tanh':
      return { pdf: (a) => (Math.abs(a) < 1 ? pz(Math.atanh(a)) / (1 - a * a) : 0), atoms: [] };
    case 'sigmoid':
      return { pdf: (a) => (a > 0 && a < 1 ? pz(Math.log(a / (1 - a))) / (a * (1 - a)) : 0), atoms: [] };
    case 'selu':
      return {
        pdf: (a) => (a > 0 ? pz(a / SELU_LAMBDA) / SELU_LAMBDA : a > -SELU_LAMBDA * SELU_ALPHA ? pz(Math.log1p(a / (SELU_LAMBDA * SELU_ALPHA))) / (SELU_LAMBDA * SELU_ALPHA + a) : 0),
        atoms: [],
      };
    default:
      return undefined;
  }
}
