// Pure-TS twin of assembly/activations.ts (same lanes and order of accumulation: bit-identical).
import type { KernelMemory } from '../kernelMemory.js';
import { Activation, STAT_FIELDS } from '../layout.js';
import { RowAccumulator } from './rowAccumulator.js';

/** φ on an f32 value; `z > 0 ? z : 0` keeps +0 for −0 and NaN, as the kernel does. */
export function phi(z: number, activation: number): number {
  return activation === Activation.relu ? (z > 0 ? z : 0) : z;
}

export function activateWithStats(mem: KernelMemory, zPtr: number, zStride: number, aPtr: number, aStride: number, rows: number, cols: number, activation: number, statsPtr: number, _accPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64;
  const acc = new RowAccumulator();
  for (let r = 0; r < rows; r++) {
    const zRow = (zPtr >> 2) + r * zStride, aRow = (aPtr >> 2) + r * aStride;
    acc.reset();
    for (let c = 0; c < cols; c++) {
      const z = f32[zRow + c];
      const a = phi(z, activation);
      f32[aRow + c] = a;
      acc.add(c, z, a);
    }
    acc.finish(f64, (statsPtr >> 3) + r * STAT_FIELDS);
  }
}
