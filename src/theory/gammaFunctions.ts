// ln Γ, the digamma ψ = (ln Γ)′ and the trigamma ψ′ for real s > 0, in float64 to ~1e-14: the
// recurrences ψ(s) = ψ(s + 1) − 1/s and ψ′(s) = ψ′(s + 1) + 1/s² carry s up to 10, where the
// asymptotic (Stirling) series are accurate (Abramowitz & Stegun 6.1.41, 6.3.18, 6.4.12).
import { log } from './portableMath.js';

const SHIFT_TO = 10;

/** ln Γ(s), s > 0. */
export function logGamma(s: number): number {
  let shift = 0;
  while (s < SHIFT_TO) shift += log(s), s += 1;
  const inv = 1 / s, inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return (s - 0.5) * log(s) - s + 0.5 * log(2 * Math.PI) + series - shift;
}

/** ψ(s) = Γ′(s)/Γ(s), s > 0. */
export function digamma(s: number): number {
  let shift = 0;
  while (s < SHIFT_TO) shift += 1 / s, s += 1;
  const inv2 = 1 / (s * s);
  return log(s) - 0.5 / s - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132)))) - shift;
}

/** ψ′(s), s > 0. */
export function trigamma(s: number): number {
  let shift = 0;
  while (s < SHIFT_TO) shift += 1 / (s * s), s += 1;
  const inv = 1 / s, inv2 = inv * inv;
  return inv + inv2 / 2 + inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - (inv2 * 5) / 66)))) + shift;
}
