// Everything the kernel knows about each activation: its code, φ, φ of 4 lanes, and φ′ (read off a, or
// from z) for the backward pass. Twin: the host's activation table, through src/kernel/reference/activations.ts.

// Activation codes: the host's activation table (src/theory/activations.ts) gives each row its code, and
// the parity tests run every code through φ here and the table's φ, so a code that drifts fails them.
export const ACT_IDENTITY: i32 = 0;
export const ACT_RELU: i32 = 1;
const ACT_LEAKY_RELU: i32 = 2;
const ACT_TANH: i32 = 3;
const ACT_SIGMOID: i32 = 4;
const ACT_GELU: i32 = 5;
const ACT_SELU: i32 = 6;
const ACT_SILU: i32 = 7;

// SELU constants (Klambauer et al. 2017, "Self-normalizing neural networks").
const SELU_LAMBDA: f64 = 1.0507009873554805;
const SELU_ALPHA: f64 = 1.6732632423543772;

// erfc(x) for x ≥ 0 by the Chebyshev fit of Numerical Recipes (§6.2, erfcc): relative error < 1.2e-7,
// about 2 f32 ulps, which is what an f32 activation can use.
function erfcPositive(x: f64): f64 {
  const t = 1.0 / (1.0 + 0.5 * x);
  return t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}

// GELU, exact erf form: z·Φ(z) = ½·z·erfc(−z/√2).
@inline function gelu(z: f64): f64 {
  const u = -z * 0.7071067811865476;
  return 0.5 * z * (u >= 0 ? erfcPositive(u) : 2.0 - erfcPositive(-u));
}

/** φ of one value; computed in f64 where a transcendental function is involved. */
export function phi(z: f32, activation: i32, alpha: f32): f32 {
  switch (activation) {
    case ACT_RELU: return Mathf.max(z, 0);
    case ACT_LEAKY_RELU: return z > 0 ? z : alpha * z;
    case ACT_TANH: return <f32>Math.tanh(<f64>z);
    case ACT_SIGMOID: return <f32>(1.0 / (1.0 + Math.exp(-<f64>z)));
    case ACT_GELU: return <f32>gelu(<f64>z);
    case ACT_SELU: return <f32>(z > 0 ? SELU_LAMBDA * <f64>z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(<f64>z));
    case ACT_SILU: return <f32>(<f64>z / (1.0 + Math.exp(-<f64>z)));
    default: return z;
  }
}

/**
 * φ of 4 lanes, lane-wise identical to phi. ReLU is max(z, +0): −0 → +0, and NaN stays NaN so an
 * overflow is never hidden as zeros; the transcendental ones go lane by lane.
 */
@inline export function phi4(z: v128, activation: i32, alpha: f32): v128 {
  if (activation == ACT_IDENTITY) return z;
  const positive = f32x4.gt(z, f32x4.splat(0));
  // max(z, +0) as a mask: lanes ≤ 0 (−0 included) become +0, NaN (never ≤ 0) and positives stay. The
  // same bits as f32x4.max(z, +0), in 2 instructions where V8 spends about 8 on f32x4.max's NaN and
  // signed-zero rules.
  if (activation == ACT_RELU) return v128.andnot(z, f32x4.le(z, f32x4.splat(0)));
  if (activation == ACT_LEAKY_RELU) return v128.bitselect(z, f32x4.mul(z, f32x4.splat(alpha)), positive);
  let r = f32x4.replace_lane(z, 0, phi(f32x4.extract_lane(z, 0), activation, alpha));
  r = f32x4.replace_lane(r, 1, phi(f32x4.extract_lane(z, 1), activation, alpha));
  r = f32x4.replace_lane(r, 2, phi(f32x4.extract_lane(z, 2), activation, alpha));
  return f32x4.replace_lane(r, 3, phi(f32x4.extract_lane(z, 3), activation, alpha));
}

/** φ′ read off a = φ(z) (the forward pass keeps a, not z): identity 1, ReLU [a > 0], leaky ReLU
 * a > 0 ? 1 : α, tanh 1 − a², sigmoid a(1 − a), SELU a > 0 ? λ : a + λα, each in f64 and rounded once
 * (1 − a² in f32 would cancel to a few bits where tanh saturates). GELU and SiLU are not monotone,
 * so a does not determine z: 1 here, and the host keeps z for them (slopeAtZ). */
export function slopeFromA(a: f32, activation: i32, alpha: f32): f32 {
  const x = <f64>a;
  switch (activation) {
    case ACT_RELU: return a > 0 ? 1 : 0;
    case ACT_LEAKY_RELU: return a > 0 ? 1 : alpha;
    case ACT_TANH: return <f32>(1 - x * x);
    case ACT_SIGMOID: return <f32>(x * (1 - x));
    case ACT_SELU: return a > 0 ? <f32>SELU_LAMBDA : <f32>(x + SELU_LAMBDA * SELU_ALPHA);
    default: return 1;
  }
}

/** φ′(z) in f64: what multiplyBySlopeAtZ multiplies by. GELU: Φ(z) + z·N(z); SiLU: s(1 + z(1 − s)), s = σ(z). */
export function slopeAtZ(z: f64, activation: i32, alpha: f64): f64 {
  switch (activation) {
    case ACT_RELU: return z > 0 ? 1 : 0;
    case ACT_LEAKY_RELU: return z > 0 ? 1 : alpha;
    case ACT_TANH: { const t = Math.tanh(z); return 1 - t * t; }
    case ACT_SIGMOID: { const s = 1.0 / (1.0 + Math.exp(-z)); return s * (1 - s); }
    case ACT_GELU: {
      const u = -z * 0.7071067811865476;
      const cdf = 0.5 * (u >= 0 ? erfcPositive(u) : 2.0 - erfcPositive(-u));
      return cdf + z * Math.exp(-0.5 * z * z) * 0.3989422804014327;
    }
    case ACT_SELU: return z > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z);
    case ACT_SILU: { const s = 1.0 / (1.0 + Math.exp(-z)); return s * (1 + z * (1 - s)); }
    default: return 1;
  }
}
