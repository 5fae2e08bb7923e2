// The backward pass's activation step, δ ⊙ φ′, over a block. Twin: src/kernel/reference/derivatives.ts.

import { slopeAtZ, slopeFromA } from "./activations";

/**
 * δ[c] *= φ′(z[c]) for a rows × cols block, with φ′ read off the kept a (slopeFromA);
 * for GELU and SiLU the host keeps z and calls multiplyBySlopeAtZ.
 */
export function multiplyByDerivative(deltaPtr: usize, aPtr: usize, stride: i32, rows: i32, cols: i32, activation: i32, alpha: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>stride;
    for (let c = 0; c < cols; c++) {
      const at = (row + <usize>c) << 2;
      const a = load<f32>(aPtr + at);
      const d = slopeFromA(a, activation, alpha);
      store<f32>(deltaPtr + at, load<f32>(deltaPtr + at) * d);
    }
  }
}

/** δ[c] *= φ′(z[c]) for a rows × cols block, from the kept z (any activation; the host uses it for GELU and SiLU). */
export function multiplyBySlopeAtZ(deltaPtr: usize, zPtr: usize, stride: i32, rows: i32, cols: i32, activation: i32, alpha: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>stride;
    for (let c = 0; c < cols; c++) {
      const at = (row + <usize>c) << 2;
      const d = <f32>slopeAtZ(<f64>load<f32>(zPtr + at), activation, <f64>alpha);
      store<f32>(deltaPtr + at, load<f32>(deltaPtr + at) * d);
    }
  }
}
