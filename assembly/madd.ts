// acc + a·b per lane. The plain SIMD build rounds the product and the sum separately (bit-identical
// to the scalar twin); the relaxed build (asconfig target "relaxed") uses relaxed_madd, a fused
// multiply-add where the hardware has one, so its results are reproducible per build only.
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
