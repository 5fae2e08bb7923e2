// Pure-TS twin of histogram in assembly/stats.ts (which counts in HIST_LANES copies; one suffices here).
import type { KernelMemory } from '../kernelMemory.js';
import { phi } from './activations.js';

export function histogram(mem: KernelMemory, ptr: number, stride: number, rows: number, cols: number, activation: number, alpha: number, edgesPtr: number, bins: number, countsPtr: number): void {
  const f32 = mem.f32, f64 = mem.f64, u32 = mem.u32;
  const edges = edgesPtr >>> 3, counts = countsPtr >>> 2;
  const lo = f64[edges], hi = f64[edges + bins];
  const perUnit = bins / (hi - lo);
  for (let r = 0; r < rows; r++) {
    const row = (ptr >>> 2) + r * stride;
    for (let c = 0; c < cols; c++) {
      const v = activation === 0 ? f32[row + c] : phi(f32[row + c], activation, alpha);
      if (!(v >= lo && v <= hi)) continue;
      let i = Math.floor((v - lo) * perUnit);
      if (i >= bins) i = bins - 1;
      if (i < 0) i = 0;
      if (v < f64[edges + i]) i--;
      else if (i < bins - 1 && v >= f64[edges + i + 1]) i++;
      u32[counts + i]++;
    }
  }
}
