import { ACTIVATIONS, LEAKY_ALPHA_DEFAULT, type ActivationName } from './activations.js';
import { exp } from './portableMath.js';

/** A distribution on the real line: a density (where continuous) and point masses. */
export interface Density {
  pdf: (v: number) => number;
  atoms: { at: number; p: number }[];
}

const normalPdf = (z: number, q: number) => exp((-0.5 * z * z) / q) / Math.sqrt(2 * Math.PI * q);

/** z ~ N(0, q). */
export function zDensity(q: number): Density {
  return { pdf: (v) => normalPdf(v, q), atoms: [] };
}

/**
 * The law of a = φ(z) for z ~ N(0, q), by change of variables where φ is monotone (the row's
 * readOffA): ReLU gives the rectified Gaussian (half-normal on a > 0 plus mass ½ at 0). GELU and
 * SiLU are not monotone: undefined (no overlay).
 */
export function aDensity(activation: ActivationName, q: number, alpha = LEAKY_ALPHA_DEFAULT): Density | undefined {
  const law = ACTIVATIONS[activation].readOffA;
  if (law === undefined) return undefined;
  const pz = (z: number) => normalPdf(z, q), zeroMass = law.zeroMass(alpha);
  return { pdf: (a) => law.pdfOfA(a, pz, alpha), atoms: zeroMass > 0 ? [{ at: 0, p: zeroMass }] : [] };
}
