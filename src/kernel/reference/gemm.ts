// Pure-TS twin of assembly/gemm.ts: same packing, same summation order (k ascending, f32 products
// and sums), so results are bit-identical to the WASM kernel.
import type { KernelMemory } from '../kernelMemory.js';
import { PANEL_COLS } from '../layout.js';

/** Twin of packColumnPanels: panels of `cols` output columns, k-major inside, zero-padded. */
export function packColumnPanels(mem: KernelMemory, wPtr: number, packedPtr: number, nOut: number, k: number, cols: number): void {
  const f32 = mem.f32;
  const w = wPtr >> 2;
  let out = packedPtr >> 2;
  const panels = Math.ceil(nOut / cols);
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < k; kk++) {
      for (let c = 0; c < cols; c++) {
        const j = p * cols + c;
        f32[out++] = j < nOut ? f32[w + j * k + kk] : 0;
      }
    }
  }
}

export function packPanels(mem: KernelMemory, wPtr: number, packedPtr: number, nOut: number, k: number): void {
  packColumnPanels(mem, wPtr, packedPtr, nOut, k, PANEL_COLS);
}

export function gemm(mem: KernelMemory, xPtr: number, xStride: number, packedPtr: number, zPtr: number, zStride: number, rows: number, k: number, nOut: number): void {
  const f32 = mem.f32;
  const fround = Math.fround;
  const x = xPtr >> 2, z = zPtr >> 2, packed = packedPtr >> 2;
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
