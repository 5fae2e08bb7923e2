// Pure-TS twin of denseLayer and layerScratchBytes in assembly/gemm.ts.
import type { KernelMemory } from '../kernelMemory.js';
import { layerScratchBytes as scratchBytes, STAT_FIELDS } from '../layout.js';
import { phi } from './activations.js';
import { gemm } from './gemm.js';
import { RowAccumulator } from './rowAccumulator.js';

/** The kernel's scratch bytes for a row stride (the memory plan's own sizer). */
export function layerScratchBytes(_mem: KernelMemory, stride: number): number {
  return scratchBytes(stride);
}

export function denseLayer(mem: KernelMemory, xPtr: number, stride: number, packedPtr: number, zPtr: number, rows: number, k: number, nOut: number, activation: number, alpha: number, biasPtr: number, scratchPtr: number, statsPtr: number): void {
  const acc = new RowAccumulator();
  for (let r = 0; r < rows; r++) {
    const x = xPtr + r * stride * 4;
    // one row of z into scratch, then φ, statistics, and a over the row of x
    gemm(mem, x, stride, packedPtr, scratchPtr, stride, 1, k, nOut);
    const f32 = mem.f32, zRow = scratchPtr >>> 2, aRow = x >>> 2;
    acc.reset();
    for (let j = 0; j < nOut; j++) {
      const z = biasPtr === 0 ? f32[zRow + j] : Math.fround(f32[zRow + j] + f32[(biasPtr >>> 2) + j]);
      const a = phi(z, activation, alpha);
      if (zPtr !== 0) f32[(zPtr >>> 2) + r * stride + j] = z;
      f32[aRow + j] = a;
      acc.add(j, z, a);
    }
    acc.finish(mem.f64, (statsPtr >>> 3) + r * STAT_FIELDS);
  }
}
