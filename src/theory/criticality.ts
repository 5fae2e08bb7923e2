// The length map's fixed point q* and the edge of chaos χ₁ = 1 (Poole et al. 2016; Schoenholz et al.
// 2017): χ₁ = σw²·E[φ′(z)²] at q*, the factor by which a small change of the input grows per layer.
import type { ActivationName } from './activations.js';
import { LEAKY_ALPHA_DEFAULT } from './activations.js';
import { moments } from './moments.js';

// iterations before the root is bracketed instead: enough where the map contracts by 0.85 per step or faster
const LENGTH_STEPS = 200;
const TOLERANCE = 1e-13;

/**
 * q* = σw²·V(q*) + σb², the fixed point the length map reaches from `firstQ`; null where it does not
 * settle (q grows without bound). Where the map creeps to its fixed point algebraically (at the edge
 * of a phase, e.g. tanh at σw² = 1, σb² = 0, where q ~ 3/(2l)), the root of σw²·V(q) + σb² − q is
 * found from the last iterate instead: below it if q was falling, above it if rising.
 */
export function lengthFixedPoint(activation: ActivationName, sigmaW2: number, sigmaB2: number, firstQ: number, alpha = LEAKY_ALPHA_DEFAULT): number | null {
  const { V } = moments(activation, alpha);
  const map = (q: number) => sigmaW2 * V(q) + sigmaB2;
  let q = firstQ;
  for (let step = 0; step < LENGTH_STEPS; step++) {
    const next = map(q);
    if (!Number.isFinite(next)) return null;
    if (next < 1e-300) return 0;
    if (Math.abs(next - q) <= TOLERANCE * Math.max(q, next)) return next;
    q = next;
  }
  const gap = (x: number) => map(x) - x;
  if (gap(q) < 0) {
    // falling: the fixed point is the largest root below q. None down to 1e-12 of q means q* = 0: below that
    // the gap σw²V(q) + σb² − q is within the rounding of V's quadrature (~1e-15 of q) at the edge, where its
    // sign would depend on the last bits of Math.tanh and the like, which engines do not share
    const floor = q * 1e-12;
    let lo = q / 2, hi = q;
    while (lo > floor && gap(lo) < 0) [hi, lo] = [lo, lo * 1e-4];
    if (lo <= floor) return 0;
    return bisect(gap, lo, hi);
  }
  // rising: a root above q. A gap within rounding of 0 is no sign change: He + ReLU with a bias has
  // gap = σb² exactly, which vanishes into the rounding of 2·V(q) − q once q ≫ σb²/ε
  let lo = q, hi = q * 2;
  while (hi < 1e300 && gap(hi) > -1e-12 * hi) [lo, hi] = [hi, hi * 1e4];
  return hi >= 1e300 ? null : bisect(gap, lo, hi);
}

/** A root of f between a (f ≥ 0) and b (f < 0), or the other way round, to the last bits. */
function bisect(f: (x: number) => number, a: number, b: number): number {
  const fa = f(a);
  for (let i = 0; i < 200; i++) {
    const mid = (a + b) / 2;
    if (mid === a || mid === b) break;
    if ((f(mid) >= 0) === (fa >= 0)) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/** χ₁ = σw²·S(q*) from the first layer's q, null where q* is not defined. */
export function chi1At(activation: ActivationName, sigmaW2: number, sigmaB2: number, firstQ: number, alpha = LEAKY_ALPHA_DEFAULT): number | null {
  const qStar = lengthFixedPoint(activation, sigmaW2, sigmaB2, firstQ, alpha);
  return qStar === null ? null : sigmaW2 * moments(activation, alpha).S(qStar);
}

/**
 * The σw² in (0, maxSigmaW2] where χ₁ crosses 1 at this σb², inputs with E[x²] = 1 (first q = σw² + σb²):
 * the order/chaos line of the phase diagram. χ₁ rises with σw²; where q* runs off (no fixed point) the
 * net is past the edge. Null where χ₁ stays on one side of 1 over the whole range.
 */
export function criticalSigmaW2(activation: ActivationName, sigmaB2: number, alpha = LEAKY_ALPHA_DEFAULT, maxSigmaW2 = 100): number | null {
  const excess = (s2: number) => {
    const chi = chi1At(activation, s2, sigmaB2, s2 + sigmaB2, alpha);
    return chi === null ? 1 : chi - 1;
  };
  let lo = 1e-6, hi = maxSigmaW2;
  if (!(excess(lo) < 0) || !(excess(hi) >= 0)) return null;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
