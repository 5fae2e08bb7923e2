// Pure-TS twin of assembly/activate.ts: φ over a block of z with each row's statistics.
import type { KernelMemory } from '../kernelMemory.js';
import { STAT_FIELDS } from '../layout.js';
import { phi } from './activations.js';
import { RowAccumulator } from './rowAccumulator.js';

export function activateWithStats(mem: KernelMemory, zPtr: number, zStride: number, aPtr: number, aStride: number, rows: number, cols: number, activation: number, alpha: number, statsPtr: number, _accPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64;
  const acc = new RowAccumulator();
  for (let r = 0; r < rows; r++) {
    const zRow = (zPtr >>> 2) + r * zStride, aRow = (aPtr >>> 2) + r * aStride;
    acc.reset();
    for (let c = 0; c < cols; c++) {
      const z = f32[zRow + c];
      const a = phi(z, activation, alpha);
      f32[aRow + c] = a;
      acc.add(c, z, a);
    }
    acc.finish(f64, (statsPtr >>> 3) + r * STAT_FIELDS);
  }
}
