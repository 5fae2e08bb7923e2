// The law of D² = φ′(h)² for h ~ N(0, q): what one layer's activation contributes to the spectrum of
// JJᵀ (its S-transform enters the product of S-transforms, Pennington, Schoenholz & Ganguli 2018,
// arXiv 1802.09979, §2).
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { halfNormalNodes } from './gaussianExpectation.js';

/** A discrete law: values `d` in increasing order, distinct, with weights summing to 1. */
export interface SlopeLaw {
  d: Float64Array;
  weight: Float64Array;
  /** P(D² = 0): the flat pieces of φ (ReLU's ½), the atom at 0 of JJᵀ that free products keep (the largest). */
  zeroMass: number;
}

// Gauss–Legendre nodes per panel of the half-normal: the moments of D² from the law agree with the
// 20-node expectations to ~1e-12 (test/theory/spectrumDensity.test.ts), and the density's sums run
// over every node at every Newton step
const POINTS_PER_PANEL = 20;

/**
 * φ′(±|z|)² at the half-normal's nodes, each sign with half the node's weight, with equal values merged:
 * exact for piecewise-linear φ (ReLU: {0: ½, 1: ½}, whatever q), a quadrature of the continuous law otherwise.
 */
export function slopeLaw(name: ActivationName, alpha: number, q: number): SlopeLaw {
  const slope = (z: number) => ACTIVATIONS[name].phiPrime(z, alpha);
  const pairs: [number, number][] = [];
  if (q === 0) pairs.push([slope(0) * slope(0), 1]);
  else {
    const { absZ, weight } = halfNormalNodes(q, POINTS_PER_PANEL);
    for (let i = 0; i < absZ.length; i++) {
      const up = slope(absZ[i]), down = slope(-absZ[i]);
      pairs.push([up * up, weight[i] / 2], [down * down, weight[i] / 2]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const d: number[] = [], w: number[] = [];
  for (const [value, mass] of pairs) {
    if (d.length > 0 && d[d.length - 1] === value) w[w.length - 1] += mass;
    else {
      d.push(value);
      w.push(mass);
    }
  }
  return { d: Float64Array.from(d), weight: Float64Array.from(w), zeroMass: d[0] === 0 ? w[0] : 0 };
}

/** Whether two laws are the same: then layers share one unknown in the density's equations. */
export function sameLaw(a: SlopeLaw, b: SlopeLaw): boolean {
  if (a.d.length !== b.d.length) return false;
  for (let i = 0; i < a.d.length; i++) if (a.d[i] !== b.d[i] || a.weight[i] !== b.weight[i]) return false;
  return true;
}
