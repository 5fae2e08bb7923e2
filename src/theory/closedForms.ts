// Closed forms of V(q) = E[φ(z)²], M(q) = E[φ(z)] and S(q) = E[φ′(z)²] for z ~ N(0, q), where they exist.
import { LEAKY_ALPHA_DEFAULT, SELU_ALPHA, SELU_LAMBDA, type ActivationName } from './activations.js';
import { erfcx } from './erf.js';
import { atan } from './portableMath.js';

export interface Moments {
  /** E[φ(z)²] */
  V: (q: number) => number;
  /** E[φ(z)] */
  M: (q: number) => number;
  /** E[φ′(z)²], the factor of the gradient's χ = σw²·S(q) */
  S: (q: number) => number;
}

const halfNormalMean = (q: number) => Math.sqrt(q / (2 * Math.PI));

/** The closed forms that exist (GELU has V and M but no S); quadrature does the rest. */
export function closedForm(name: ActivationName, alpha = LEAKY_ALPHA_DEFAULT): Partial<Moments> {
  switch (name) {
    case 'identity':
      return { V: (q) => q, M: () => 0, S: () => 1 };
    case 'relu':
      return { V: (q) => q / 2, M: halfNormalMean, S: () => 0.5 };
    case 'leaky_relu':
      return { V: (q) => ((1 + alpha * alpha) * q) / 2, M: (q) => (1 - alpha) * halfNormalMean(q), S: () => (1 + alpha * alpha) / 2 };
    case 'gelu':
      return {
        V: (q) => q * (0.25 + (1 / Math.PI) * (q / ((1 + q) * Math.sqrt(1 + 2 * q)) + 0.5 * atan(q / Math.sqrt(1 + 2 * q)))),
        // Stein: E[zΦ(z)] = q·E[Φ′(z)] = q/√(2π(1+q))
        M: (q) => q / Math.sqrt(2 * Math.PI * (1 + q)),
      };
    case 'selu':
      // φ = λz for z > 0, λα(e^z − 1) below, so V = λ²(q/2 + α²·A(q)), M = λ(√(q/2π) + α·B(q)) and
      // S = λ²(½ + α²·E[e^{2z}; z < 0]) with E[e^{kz}; z < 0] = e^{k²q/2}Φ(−k√q) = ½·erfcx(k√(q/2)).
      return {
        V: (q) => SELU_LAMBDA ** 2 * (q / 2 + SELU_ALPHA ** 2 * seluSquaredNegativePart(q)),
        M: (q) => SELU_LAMBDA * (halfNormalMean(q) + SELU_ALPHA * seluNegativePart(q)),
        S: (q) => SELU_LAMBDA ** 2 * (0.5 + SELU_ALPHA ** 2 * 0.5 * erfcx(Math.sqrt(2 * q))),
      };
    default:
      return {};
  }
}

// Below q = 1 the scaled forms cancel (A(q) ≈ q/2 from terms of order 1 and √q, a relative error of
// ~1e-16/q), so the series of erfcx(x) = Σₙ (−x)ⁿ/Γ(n/2 + 1) is summed with those terms taken out.
const SERIES_BELOW_Q = 1;

/** Σ_{n ≥ from} cₙ·(−√q)ⁿ/Γ(n/2 + 1), summed until the terms stop mattering. */
function erfcxTypeSeries(q: number, from: number, coefficient: (n: number) => number): number {
  const s = Math.sqrt(q);
  let even = 1, odd = -s / (Math.sqrt(Math.PI) / 2); // (−s)ⁿ/Γ(n/2 + 1) for n = 0 and 1
  let sum = 0;
  for (let n = 0; n < 400; n++) {
    const term = n % 2 === 0 ? even : odd;
    if (n >= from) {
      const add = coefficient(n) * term;
      sum += add;
      if (n > from + 2 && Math.abs(add) < 1e-18 * Math.abs(sum)) break;
    }
    // (−s)^{n+2}/Γ(n/2 + 2) = (−s)ⁿ/Γ(n/2 + 1) · s²/(n/2 + 1)
    if (n % 2 === 0) even *= q / (n / 2 + 1);
    else odd *= q / (n / 2 + 1);
  }
  return sum;
}

/**
 * 2^{n/2} for integer n as a power of two times √2 where n is odd: V8's pow differs in the last bit
 * between Node 20 and Chromium for half-integer exponents, and the page must equal the CLI.
 */
const sqrt2Power = (n: number) => (n % 2 === 0 ? 1 : n > 0 ? Math.SQRT2 : Math.SQRT1_2) * 2 ** Math.trunc(n / 2);

/** A(q) = E[(e^z − 1)²; z < 0] = ½erfcx(√(2q)) − erfcx(√(q/2)) + ½. */
function seluSquaredNegativePart(q: number): number {
  if (q >= SERIES_BELOW_Q) return 0.5 * erfcx(Math.sqrt(2 * q)) - erfcx(Math.sqrt(q / 2)) + 0.5;
  // with x = k√(q/2), k = 2 and 1: (−x)ⁿ = (−√q)ⁿ·(k²/2)^{n/2}, so cₙ = ½·2^{n/2} − 2^{−n/2}
  return erfcxTypeSeries(q, 2, (n) => 0.5 * sqrt2Power(n) - sqrt2Power(-n));
}

/** B(q) = E[e^z − 1; z < 0] = ½erfcx(√(q/2)) − ½. */
function seluNegativePart(q: number): number {
  if (q >= SERIES_BELOW_Q) return 0.5 * erfcx(Math.sqrt(q / 2)) - 0.5;
  return erfcxTypeSeries(q, 1, (n) => 0.5 * sqrt2Power(-n));
}
