// Pure-TS twin of assembly/derivatives.ts: δ ⊙ φ′ over a block, φ′ read off a or taken at z.
import type { KernelMemory } from '../kernelMemory.js';
import { slopeAtZ, slopeFromA } from './activations.js';

/** δ[c] *= slope(v[c]) over a rows × cols block of both (the same stride). */
function multiplyBySlope(mem: KernelMemory, deltaPtr: number, valuesPtr: number, stride: number, rows: number, cols: number, slope: (v: number) => number): void {
  const f32 = mem.f32;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = (deltaPtr >>> 2) + r * stride + c;
      f32[i] = f32[i] * slope(f32[(valuesPtr >>> 2) + r * stride + c]);
    }
  }
}

export function multiplyByDerivative(mem: KernelMemory, deltaPtr: number, aPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void {
  multiplyBySlope(mem, deltaPtr, aPtr, stride, rows, cols, (a) => slopeFromA(a, activation, alpha));
}

export function multiplyBySlopeAtZ(mem: KernelMemory, deltaPtr: number, zPtr: number, stride: number, rows: number, cols: number, activation: number, alpha: number): void {
  multiplyBySlope(mem, deltaPtr, zPtr, stride, rows, cols, (z) => slopeAtZ(z, activation, alpha));
}
