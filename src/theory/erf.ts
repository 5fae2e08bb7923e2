// erf and the normal CDF in float64 to ~1e-15: the Maclaurin series for |x| < 2.5, and beyond it
// erfc's continued fraction (Abramowitz & Stegun 7.1.14) evaluated by the modified Lentz method.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

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

function erfcContinuedFraction(x: number): number {
  // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let n = 1; n < 500; n++) {
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
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return x < 2.5 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

export function erf(x: number): number {
  return Math.abs(x) < 2.5 ? erfSeries(x) : x > 0 ? 1 - erfcContinuedFraction(x) : erfcContinuedFraction(-x) - 1;
}

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
