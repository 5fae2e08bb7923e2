// Twin: src/kernel/reference/scale.ts.

/** Multiplies `count` f32 values at `ptr` by `factor` (rounded to f32 once per value). */
export function scaleInPlace(ptr: usize, count: i32, factor: f64): void {
  for (let i = 0; i < count; i++) {
    const at = ptr + (<usize>i << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) * factor));
  }
}

/**
 * x[r][c] ← sharedWeight·shared[c] + ownWeight·x[r][c] for rows × cols f32 values (row stride
 * `stride`), in f64 and rounded to f32 once: correlated inputs, every row sharing one vector.
 */
export function mixSharedRow(ptr: usize, stride: i32, rows: i32, cols: i32, sharedPtr: usize, sharedWeight: f64, ownWeight: f64): void {
  for (let r = 0; r < rows; r++) {
    const row = ptr + ((<usize>r * <usize>stride) << 2);
    for (let c = 0; c < cols; c++) {
      const at = row + (<usize>c << 2);
      store<f32>(at, <f32>(sharedWeight * <f64>load<f32>(sharedPtr + (<usize>c << 2)) + ownWeight * <f64>load<f32>(at)));
    }
  }
}
