// Twin: src/kernel/reference/scale.ts.

/** Multiplies `count` f32 values at `ptr` by `factor` (rounded to f32 once per value). */
export function scaleInPlace(ptr: usize, count: i32, factor: f64): void {
  for (let i = 0; i < count; i++) {
    const at = ptr + (<usize>i << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) * factor));
  }
}
