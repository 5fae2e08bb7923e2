// erf, erfc, the scaled erfcx(x) = e^{x²}·erfc(x) and the normal CDF in float64 to ~1e-15 relative:
// the Maclaurin series below 1, and from 1 on erfc's continued fraction (Abramowitz & Stegun 7.1.14)
// by the modified Lentz method, which yields erfcx without forming e^{x²} (so it never overflows).
import { exp } from './portableMath.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SERIES_BELOW = 1;

function erfSeries(x: number): number {
  // erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
  let term = x, sum = x;
  const x2 = x * x;
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

/** e^{x²}·erfc(x) for x ≥ SERIES_BELOW: 1/(√π·(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))), ≤ 200 terms at x = 1. */
function erfcxContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let n = 1; n < 1000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (f * Math.sqrt(Math.PI));
}

/** erfcx(x) = e^{x²}·erfc(x): finite for every x ≥ 0 (≈ 1/(x√π) for large x). */
export function erfcx(x: number): number {
  if (x < 0) return 2 * exp(x * x) - erfcx(-x);
  return x < SERIES_BELOW ? exp(x * x) * (1 - erfSeries(x)) : erfcxContinuedFraction(x);
}

export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return x < SERIES_BELOW ? 1 - erfSeries(x) : exp(-x * x) * erfcxContinuedFraction(x);
}

export function erf(x: number): number {
  return Math.abs(x) < 2.5 ? erfSeries(x) : Math.sign(x) * (1 - erfc(Math.abs(x)));
}

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
