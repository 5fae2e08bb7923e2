// The twin's φ and φ′: the activation table's float64 functions, rounded once to f32, which is what the
// kernel's φ (assembly/activations.ts) computes (in f64 and rounded, or exactly in f32 for the piecewise
// linear ones). Identity, ReLU and leaky ReLU are bit-identical to the kernel; the transcendental ones
// agree within a few f32 ulps (V8's libm against the kernel's, and GELU's erfc fit).
import { activationOfCode } from '../../theory/activations.js';

const fr = Math.fround;

/** φ on an f32 value, rounded to f32 (α as the kernel sees it, an f32). */
export function phi(z: number, activation: number, alpha = 0): number {
  return fr(activationOfCode(activation).phi(z, fr(alpha)));
}

/** φ′ read off a = φ(z), rounded to f32; 1 where φ is not monotone (the kernel's slopeFromA). */
export function slopeFromA(a: number, activation: number, alpha: number): number {
  return fr(activationOfCode(activation).readOffA?.slopeFromA(a, fr(alpha)) ?? 1);
}

/** φ′(z), rounded to f32 (the kernel's slopeAtZ). */
export function slopeAtZ(z: number, activation: number, alpha: number): number {
  return fr(activationOfCode(activation).phiPrime(z, fr(alpha)));
}
