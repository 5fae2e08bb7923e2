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

/** The mean of one row's cols f32 values, summed in f64 in ascending c. */
function rowMean(row: usize, cols: i32): f64 {
  let sum: f64 = 0;
  for (let c = 0; c < cols; c++) sum += <f64>load<f32>(row + (<usize>c << 2));
  return sum / <f64>cols;
}

/** 1/√(σ² + ε) of one row, σ² its population variance about `mean`, summed in f64 in ascending c. */
function rowScale(row: usize, cols: i32, mean: f64, epsilon: f64): f64 {
  let squares: f64 = 0;
  for (let c = 0; c < cols; c++) {
    const d = <f64>load<f32>(row + (<usize>c << 2)) - mean;
    squares += d * d;
  }
  return 1 / Math.sqrt(squares / <f64>cols + epsilon);
}

/**
 * Layer normalization without affine: h[r][c] = (x[r][c] − μ_r)/√(σ²_r + ε), μ_r and σ²_r the row's mean
 * and population variance over its cols values, summed in f64 in ascending c; h may alias x.
 */
export function normalizeRows(xPtr: usize, hPtr: usize, stride: i32, rows: i32, cols: i32, epsilon: f64): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>stride) << 2;
    const mean = rowMean(xPtr + off, cols), scale = rowScale(xPtr + off, cols, mean, epsilon);
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2);
      store<f32>(hPtr + at, <f32>((<f64>load<f32>(xPtr + at) - mean) * scale));
    }
  }
}

/**
 * Per-channel normalization: h[r][c] = (x[r][c] − mean[c])·scale[c], in f64 and rounded to f32 once, with
 * mean and scale f64 per column (batch norm: the batch's mean and 1/√(σ² + ε); nf: 0 and 1/β); h may alias x.
 */
export function normalizeColumns(xPtr: usize, hPtr: usize, stride: i32, rows: i32, cols: i32, meanPtr: usize, scalePtr: usize): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>stride) << 2;
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2), ch = <usize>c << 3;
      store<f32>(hPtr + at, <f32>((<f64>load<f32>(xPtr + at) - load<f64>(meanPtr + ch)) * load<f64>(scalePtr + ch)));
    }
  }
}

/**
 * The backward pass of normalizeColumns, in place on δ (the gradient of h): δ ← scale[c]·(δ − m1[c] − h·m2[c]),
 * in f64 and rounded once. Batch norm passes m1 = the batch mean of δ and m2 = the batch mean of δ·h per
 * channel (the gradient through the batch's mean and variance); nf passes m1 = m2 = 0.
 */
export function normalizeColumnsBackward(deltaPtr: usize, hPtr: usize, stride: i32, rows: i32, cols: i32, scalePtr: usize, m1Ptr: usize, m2Ptr: usize): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>stride) << 2;
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2), ch = <usize>c << 3;
      const d = <f64>load<f32>(deltaPtr + at) - load<f64>(m1Ptr + ch) - <f64>load<f32>(hPtr + at) * load<f64>(m2Ptr + ch);
      store<f32>(deltaPtr + at, <f32>(load<f64>(scalePtr + ch) * d));
    }
  }
}

/**
 * The backward pass of normalizeRows, in place on δ (the gradient of h), from the layer norm's input x:
 * with the row's s = 1/√(σ² + ε) and h = (x − μ)·s in f64, δ ← s·(δ − mean(δ) − h·mean(δ·h)), the means over the row.
 */
export function normalizeRowsBackward(xPtr: usize, deltaPtr: usize, stride: i32, rows: i32, cols: i32, epsilon: f64): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>stride) << 2;
    const mean = rowMean(xPtr + off, cols), scale = rowScale(xPtr + off, cols, mean, epsilon);
    let deltaSum: f64 = 0, deltaDot: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2), d = <f64>load<f32>(deltaPtr + at);
      deltaSum += d;
      deltaDot += d * ((<f64>load<f32>(xPtr + at) - mean) * scale);
    }
    const m1 = deltaSum / <f64>cols, m2 = deltaDot / <f64>cols;
    for (let c = 0; c < cols; c++) {
      const at = off + (<usize>c << 2);
      const h = (<f64>load<f32>(xPtr + at) - mean) * scale;
      store<f32>(deltaPtr + at, <f32>(scale * (<f64>load<f32>(deltaPtr + at) - m1 - h * m2)));
    }
  }
}
