// Pure-TS twin of assembly/zeroSkip.ts: same packing, same order of the surviving terms.
import type { KernelMemory } from '../kernelMemory.js';
import { STAT_FIELDS, WIDE_COLS, zeroSkipScratchBytes as scratchBytes } from '../layout.js';
import { phi } from './activations.js';
import { packColumnPanels } from './panels.js';
import { RowAccumulator } from './rowAccumulator.js';

/** The kernel's scratch bytes for a row stride and k (the memory plan's own sizer). */
export function zeroSkipScratchBytes(_mem: KernelMemory, stride: number, k: number): number {
  return scratchBytes(stride, k);
}

export function packWide(mem: KernelMemory, wPtr: number, widePtr: number, nOut: number, k: number): void {
  packColumnPanels(mem, wPtr, widePtr, nOut, k, WIDE_COLS);
}

export function zeroSkipLayer(mem: KernelMemory, xPtr: number, stride: number, widePtr: number, zPtr: number, rows: number, k: number, nOut: number, activation: number, alpha: number, biasPtr: number, _scratchPtr: number, statsPtr: number): void {
  const f32 = mem.f32, fround = Math.fround, wide = widePtr >>> 2;
  const acc = new RowAccumulator();
  const ks: number[] = [], vs: number[] = [];
  const zRow = new Float32Array(nOut);
  for (let r = 0; r < rows; r++) {
    const x = (xPtr >>> 2) + r * stride;
    ks.length = vs.length = 0;
    for (let kk = 0; kk < k; kk++) if (f32[x + kk] !== 0) (ks.push(kk), vs.push(f32[x + kk]));
    for (let j = 0; j < nOut; j++) {
      const col = wide + Math.floor(j / WIDE_COLS) * k * WIDE_COLS + (j % WIDE_COLS);
      let sum = 0;
      for (let t = 0; t < ks.length; t++) sum = fround(sum + fround(vs[t] * f32[col + ks[t] * WIDE_COLS]));
      zRow[j] = biasPtr === 0 ? sum : fround(sum + f32[(biasPtr >>> 2) + j]);
    }
    acc.reset();
    for (let j = 0; j < nOut; j++) {
      const z = zRow[j], a = phi(z, activation, alpha);
      if (zPtr !== 0) f32[(zPtr >>> 2) + r * stride + j] = z;
      f32[x + j] = a;
      acc.add(j, z, a);
    }
    acc.finish(mem.f64, (statsPtr >>> 3) + r * STAT_FIELDS);
  }
}
