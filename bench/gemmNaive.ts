import type { KernelMemory } from '../src/kernel/kernelMemory.js';

/** The textbook triple loop over unpacked W (n × k, row-major), in plain doubles: "ts-naive". */
export function gemmNaive(mem: KernelMemory, xPtr: number, xStride: number, wPtr: number, zPtr: number, zStride: number, rows: number, k: number, nOut: number): void {
  const f32 = mem.f32, x = xPtr >> 2, w = wPtr >> 2, z = zPtr >> 2;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < nOut; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += f32[x + r * xStride + t] * f32[w + j * k + t];
      f32[z + r * zStride + j] = acc;
    }
  }
}
