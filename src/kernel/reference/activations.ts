// Pure-TS twin of assembly/activations.ts (same order of accumulation, so bit-identical).
import type { KernelMemory } from '../kernelMemory.js';
import { Activation, STAT_A_MAX, STAT_A_MIN, STAT_A_SUM, STAT_A_SUMSQ, STAT_A_ZEROS, STAT_FIELDS, STAT_Z_MAX, STAT_Z_MIN, STAT_Z_SUM, STAT_Z_SUMSQ } from '../layout.js';

export function activateWithStats(mem: KernelMemory, zPtr: number, zStride: number, aPtr: number, aStride: number, rows: number, cols: number, activation: number, statsPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64;
  const relu = activation === Activation.relu;
  for (let r = 0; r < rows; r++) {
    const zRow = (zPtr >> 2) + r * zStride, aRow = (aPtr >> 2) + r * aStride;
    let zSum = 0, zSq = 0, zMin = Infinity, zMax = -Infinity;
    let aSum = 0, aSq = 0, aMin = Infinity, aMax = -Infinity, zeros = 0;
    for (let c = 0; c < cols; c++) {
      const z = f32[zRow + c];
      const a = relu ? (z > 0 ? z : 0) : z;
      f32[aRow + c] = a;
      zSum += z;
      zSq += z * z;
      zMin = Math.min(zMin, z);
      zMax = Math.max(zMax, z);
      aSum += a;
      aSq += a * a;
      aMin = Math.min(aMin, a);
      aMax = Math.max(aMax, a);
      zeros += a === 0 ? 1 : 0;
    }
    const s = (statsPtr >> 3) + r * STAT_FIELDS;
    f64[s + STAT_Z_SUM] = zSum;
    f64[s + STAT_Z_SUMSQ] = zSq;
    f64[s + STAT_Z_MIN] = zMin;
    f64[s + STAT_Z_MAX] = zMax;
    f64[s + STAT_A_SUM] = aSum;
    f64[s + STAT_A_SUMSQ] = aSq;
    f64[s + STAT_A_MIN] = aMin;
    f64[s + STAT_A_MAX] = aMax;
    f64[s + STAT_A_ZEROS] = zeros;
  }
}
