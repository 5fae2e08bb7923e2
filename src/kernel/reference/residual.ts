// Pure-TS twin of assembly/residual.ts.
import type { KernelMemory } from '../kernelMemory.js';

export function addScaled(mem: KernelMemory, xPtr: number, rPtr: number, stride: number, rows: number, cols: number, alpha: number): void {
  const f32 = mem.f32, x = xPtr >> 2, rr = rPtr >> 2;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) f32[x + r * stride + c] = f32[x + r * stride + c] + alpha * f32[rr + r * stride + c];
}

export function normalizeRows(mem: KernelMemory, xPtr: number, hPtr: number, stride: number, rows: number, cols: number, epsilon: number): void {
  const f32 = mem.f32, x = xPtr >> 2, h = hPtr >> 2;
  for (let r = 0; r < rows; r++) {
    const row = r * stride;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += f32[x + row + c];
    const mean = sum / cols;
    let squares = 0;
    for (let c = 0; c < cols; c++) {
      const d = f32[x + row + c] - mean;
      squares += d * d;
    }
    const scale = 1 / Math.sqrt(squares / cols + epsilon);
    for (let c = 0; c < cols; c++) f32[h + row + c] = (f32[x + row + c] - mean) * scale;
  }
}
