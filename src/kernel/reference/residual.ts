// Pure-TS twin of assembly/residual.ts.
import type { KernelMemory } from '../kernelMemory.js';

export function addScaled(mem: KernelMemory, xPtr: number, rPtr: number, stride: number, rows: number, cols: number, alpha: number): void {
  const f32 = mem.f32, x = xPtr >>> 2, rr = rPtr >>> 2;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f32[x + r * stride + c] = f32[x + r * stride + c] + alpha * f32[rr + r * stride + c];
}

/** The mean of the row of cols f32 values at element `row`, and 1/√(σ² + ε), in the kernel's order. */
function rowMeanAndScale(f32: Float32Array, row: number, cols: number, epsilon: number): { mean: number; scale: number } {
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += f32[row + c];
  const mean = sum / cols;
  let squares = 0;
  for (let c = 0; c < cols; c++) {
    const d = f32[row + c] - mean;
    squares += d * d;
  }
  return { mean, scale: 1 / Math.sqrt(squares / cols + epsilon) };
}

export function normalizeRows(mem: KernelMemory, xPtr: number, hPtr: number, stride: number, rows: number, cols: number, epsilon: number): void {
  const f32 = mem.f32, x = xPtr >>> 2, h = hPtr >>> 2;
  for (let r = 0; r < rows; r++) {
    const row = r * stride;
    const { mean, scale } = rowMeanAndScale(f32, x + row, cols, epsilon);
    for (let c = 0; c < cols; c++) f32[h + row + c] = (f32[x + row + c] - mean) * scale;
  }
}

export function normalizeColumns(mem: KernelMemory, xPtr: number, hPtr: number, stride: number, rows: number, cols: number, meanPtr: number, scalePtr: number): void {
  const f32 = mem.f32, f64 = mem.f64, x = xPtr >>> 2, h = hPtr >>> 2, mean = meanPtr >>> 3, scale = scalePtr >>> 3;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f32[h + r * stride + c] = (f32[x + r * stride + c] - f64[mean + c]) * f64[scale + c];
}

export function normalizeColumnsBackward(mem: KernelMemory, deltaPtr: number, hPtr: number, stride: number, rows: number, cols: number, scalePtr: number, m1Ptr: number, m2Ptr: number): void {
  const f32 = mem.f32, f64 = mem.f64, delta = deltaPtr >>> 2, h = hPtr >>> 2, scale = scalePtr >>> 3, m1 = m1Ptr >>> 3, m2 = m2Ptr >>> 3;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const at = r * stride + c;
      f32[delta + at] = f64[scale + c] * (f32[delta + at] - f64[m1 + c] - f32[h + at] * f64[m2 + c]);
    }
  }
}

export function normalizeRowsBackward(mem: KernelMemory, xPtr: number, deltaPtr: number, stride: number, rows: number, cols: number, epsilon: number): void {
  const f32 = mem.f32, x = xPtr >>> 2, delta = deltaPtr >>> 2;
  for (let r = 0; r < rows; r++) {
    const row = r * stride;
    const { mean, scale } = rowMeanAndScale(f32, x + row, cols, epsilon);
    let deltaSum = 0, deltaDot = 0;
    for (let c = 0; c < cols; c++) {
      const d = f32[delta + row + c];
      deltaSum += d;
      deltaDot += d * ((f32[x + row + c] - mean) * scale);
    }
    const m1 = deltaSum / cols, m2 = deltaDot / cols;
    for (let c = 0; c < cols; c++) f32[delta + row + c] = scale * (f32[delta + row + c] - m1 - (f32[x + row + c] - mean) * scale * m2);
  }
}
