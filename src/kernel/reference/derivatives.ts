// Pure-TS twin of assembly/derivatives.ts: δ ⊙ φ′ over a block, φ′ read off a or taken at z.
import type { KernelMemory } from '../kernelMemory.js';
import { slopeAtZ, slopeFromA } from './activations.js';

export function multiplyByDerivative(mem: KernelMemory, deltaPtr: number, aPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void {
  const f32 = mem.f32;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = (deltaPtr >> 2) + r * stride + c;
      f32[i] = f32[i] * slopeFromA(f32[(aPtr >> 2) + r * stride + c], activation, alpha);
    }
  }
}

export function multiplyBySlopeAtZ(mem: KernelMemory, deltaPtr: number, zPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void {
  const f32 = mem.f32;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = (deltaPtr >> 2) + r * stride + c;
      f32[i] = f32[i] * slopeAtZ(f32[(zPtr >> 2) + r * stride + c], activation, alpha);
    }
  }
}
