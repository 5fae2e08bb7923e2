// Pure-TS twin of assembly/columnSums.ts.
import type { KernelMemory } from '../kernelMemory.js';

export function blockColumnSums(mem: KernelMemory, ptr: number, stride: number, rows: number, cols: number, rowScalesPtr: number, blockRows: number, outPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64;
  const out = outPtr >>> 3, scales = rowScalesPtr >>> 3;
  f64.fill(0, out, out + Math.ceil(rows / blockRows) * cols);
  for (let r = 0; r < rows; r++) {
    const scale = f64[scales + r];
    if (scale === 0) continue;
    const row = (ptr >>> 2) + r * stride, block = out + Math.floor(r / blockRows) * cols;
    for (let c = 0; c < cols; c++) f64[block + c] += f32[row + c] * scale;
  }
}

export function blockColumnProducts(mem: KernelMemory, aPtr: number, bPtr: number, stride: number, rows: number, cols: number, blockRows: number, outPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64, out = outPtr >>> 3;
  f64.fill(0, out, out + Math.ceil(rows / blockRows) * cols);
  for (let r = 0; r < rows; r++) {
    const a = (aPtr >>> 2) + r * stride, b = (bPtr >>> 2) + r * stride, block = out + Math.floor(r / blockRows) * cols;
    for (let c = 0; c < cols; c++) f64[block + c] += f32[a + c] * f32[b + c];
  }
}
