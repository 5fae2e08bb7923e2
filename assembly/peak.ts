// The most this build's multiply-add can do on one core, for `npm run bench` to state how fast the
// machine is while it measures the kernels (a busy host can halve it for seconds at a time).
// No memory traffic, and more independent chains than the FP ports' latency needs. The relaxed
// build runs FMAs, c ← c + c·b (96 flops per iteration); the plain build multiplies and adds like
// the GEMM: a ← a + w₁, then s ← s + a·w into two sums per a (60 flops per iteration).
// Twin (plain build): src/kernel/reference/peak.ts.

// 2⁻²⁰ and 1 − 2⁻²⁰ in 4 lanes: values drift slowly, never denormal or infinite in a benchmark's
// call. Loaded from memory: V8 rebuilds a constant vector inside the loop, on the FP ports.
const SMALL: f32 = 0.00000095367431640625;
const NEAR_ONE: f32 = 0.99999904632568359375;
const CONSTANTS = memory.data<f32>([SMALL, SMALL, SMALL, SMALL, NEAR_ONE, NEAR_ONE, NEAR_ONE, NEAR_ONE]);

/**
 * Runs `iterations` rounds and writes lane 0 of the sum of the chains at `sinkPtr` (an f32, so the
 * work is not dead); returns the flops done.
 */
export function peakMadd(iterations: i32, sinkPtr: usize): f64 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const b = v128.load(CONSTANTS);
    let c0 = f32x4.splat(1), c1 = f32x4.splat(1), c2 = f32x4.splat(1), c3 = f32x4.splat(1);
    let c4 = f32x4.splat(1), c5 = f32x4.splat(1), c6 = f32x4.splat(1), c7 = f32x4.splat(1);
    let c8 = f32x4.splat(1), c9 = f32x4.splat(1), c10 = f32x4.splat(1), c11 = f32x4.splat(1);
    for (let i = 0; i < iterations; i++) {
      c0 = f32x4.relaxed_madd(c0, b, c0); c1 = f32x4.relaxed_madd(c1, b, c1); c2 = f32x4.relaxed_madd(c2, b, c2);
      c3 = f32x4.relaxed_madd(c3, b, c3); c4 = f32x4.relaxed_madd(c4, b, c4); c5 = f32x4.relaxed_madd(c5, b, c5);
      c6 = f32x4.relaxed_madd(c6, b, c6); c7 = f32x4.relaxed_madd(c7, b, c7); c8 = f32x4.relaxed_madd(c8, b, c8);
      c9 = f32x4.relaxed_madd(c9, b, c9); c10 = f32x4.relaxed_madd(c10, b, c10); c11 = f32x4.relaxed_madd(c11, b, c11);
    }
    const sum = f32x4.add(f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))), f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11)));
    store<f32>(sinkPtr, f32x4.extract_lane(sum, 0));
    return 96 * <f64>iterations;
  }
  const w0 = v128.load(CONSTANTS, 16), w1 = v128.load(CONSTANTS);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(1), a2 = f32x4.splat(1);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0), s4 = f32x4.splat(0), s5 = f32x4.splat(0);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(a0, w1); s0 = f32x4.add(s0, f32x4.mul(a0, w0)); s1 = f32x4.add(s1, f32x4.mul(a0, w1));
    a1 = f32x4.add(a1, w1); s2 = f32x4.add(s2, f32x4.mul(a1, w0)); s3 = f32x4.add(s3, f32x4.mul(a1, w1));
    a2 = f32x4.add(a2, w1); s4 = f32x4.add(s4, f32x4.mul(a2, w0)); s5 = f32x4.add(s5, f32x4.mul(a2, w1));
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.add(s4, s5));
  store<f32>(sinkPtr, f32x4.extract_lane(sum, 0));
  return 60 * <f64>iterations;
}
