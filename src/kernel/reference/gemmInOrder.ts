// The plainest z = x·Wᵀ over the packed panels, one element at a time, k ascending with f32 products and
// sums: the order every GEMM here and in the kernel keeps. gemm (gemm.ts) uses it for the ragged rows.
import type { KernelMemory } from '../kernelMemory.js';
import { PANEL_COLS } from '../layout.js';

export function gemmInOrder(mem: KernelMemory, xPtr: number, xStride: number, packedPtr: number, zPtr: number, zStride: number, rows: number, k: number, nOut: number): void {
  const f32 = mem.f32;
  const fround = Math.fround;
  const x = xPtr >>> 2, z = zPtr >>> 2, packed = packedPtr >>> 2;
  for (let r = 0; r < rows; r++) {
    const xRow = x + r * xStride;
    for (let j = 0; j < nOut; j++) {
      const panel = packed + Math.floor(j / PANEL_COLS) * k * PANEL_COLS + (j % PANEL_COLS);
      let acc = 0;
      for (let kk = 0; kk < k; kk++) acc = fround(acc + fround(f32[xRow + kk] * f32[panel + kk * PANEL_COLS]));
      f32[z + r * zStride + j] = acc;
    }
  }
}
