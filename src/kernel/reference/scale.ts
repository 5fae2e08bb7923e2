// Pure-TS twin of assembly/scale.ts.
import type { KernelMemory } from '../kernelMemory.js';

export function scaleInPlace(mem: KernelMemory, ptr: number, count: number, factor: number): void {
  const f32 = mem.f32;
  const base = ptr >>> 2;
  for (let i = 0; i < count; i++) f32[base + i] = f32[base + i] * factor;
}

export function mixSharedRow(mem: KernelMemory, ptr: number, stride: number, rows: number, cols: number, sharedPtr: number, sharedWeight: number, ownWeight: number): void {
  const f32 = mem.f32;
  const shared = sharedPtr >>> 2;
  for (let r = 0; r < rows; r++) {
    const row = (ptr >>> 2) + r * stride;
    for (let c = 0; c < cols; c++) f32[row + c] = sharedWeight * f32[shared + c] + ownWeight * f32[row + c];
  }
}
