// The pieces of a residual block that are not the layer itself: the stream update and per-row
// normalization. Twin: src/kernel/reference/residual.ts.

/** x[r][c] ← x[r][c] + α·r[r][c] for rows × cols f32 values (both with row stride `stride`), in f64 and rounded to f32 once. */
export function addScaled(xPtr: usize, rPtr: usize, stride: i32, rows: i32, cols: i32, alpha: f64): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>stride) << 2;
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2);
      store<f32>(xPtr + at, <f32>(<f64>load<f32>(xPtr + at) + alpha * <f64>load<f32>(rPtr + at)));
    }
  }
}

/**
 * Layer normalization without affine: h[r][c] = (x[r][c] − μ_r)/√(σ²_r + ε), μ_r and σ²_r the row's mean
 * and population variance over its cols values, summed in f64 in ascending c; h may alias x.
 */
export function normalizeRows(xPtr: usize, hPtr: usize, stride: i32, rows: i32, cols: i32, epsilon: f64): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>stride) << 2;
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) sum += <f64>load<f32>(xPtr + off + (<usize>c << 2));
    const mean = sum / <f64>cols;
    let squares: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const d = <f64>load<f32>(xPtr + off + (<usize>c << 2)) - mean;
      squares += d * d;
    }
    const scale = 1 / Math.sqrt(squares / <f64>cols + epsilon);
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2);
      store<f32>(hPtr + at, <f32>((<f64>load<f32>(xPtr + at) - mean) * scale));
    }
  }
}
