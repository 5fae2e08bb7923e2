// Pure-TS twin of assembly/gemm.ts: the same packing, and z = x·Wᵀ register-blocked over 4 rows × 4
// columns of scalar accumulators. Each z element sums k in ascending order with f32 rounding, as the
// kernel does, so results are bit-identical to it (and to gemmInOrder). The benchmark's "ts-blocked".
import type { KernelMemory } from '../kernelMemory.js';
import { PANEL_COLS } from '../layout.js';
import { gemmInOrder } from './gemmInOrder.js';
import { packColumnPanels } from './panels.js';

export function packPanels(mem: KernelMemory, wPtr: number, packedPtr: number, nOut: number, k: number): void {
  packColumnPanels(mem, wPtr, packedPtr, nOut, k, PANEL_COLS);
}

export function gemm(mem: KernelMemory, xPtr: number, xStride: number, packedPtr: number, zPtr: number, zStride: number, rows: number, k: number, nOut: number): void {
  const f32 = mem.f32, fr = Math.fround;
  const fullRows = rows - (rows % 4);
  const fullCols = nOut - (nOut % 4);
  for (let r = 0; r < fullRows; r += 4) {
    const x0 = (xPtr >>> 2) + r * xStride, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
    for (let j = 0; j < fullCols; j += 4) {
      // 4 consecutive columns j..j+3 sit side by side within one 8-column panel
      let w = (packedPtr >>> 2) + Math.floor(j / PANEL_COLS) * k * PANEL_COLS + (j % PANEL_COLS);
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let kk = 0; kk < k; kk++, w += PANEL_COLS) {
        const w0 = f32[w], w1 = f32[w + 1], w2 = f32[w + 2], w3 = f32[w + 3];
        const a0 = f32[x0 + kk], a1 = f32[x1 + kk], a2 = f32[x2 + kk], a3 = f32[x3 + kk];
        c00 = fr(c00 + fr(a0 * w0)); c01 = fr(c01 + fr(a0 * w1)); c02 = fr(c02 + fr(a0 * w2)); c03 = fr(c03 + fr(a0 * w3));
        c10 = fr(c10 + fr(a1 * w0)); c11 = fr(c11 + fr(a1 * w1)); c12 = fr(c12 + fr(a1 * w2)); c13 = fr(c13 + fr(a1 * w3));
        c20 = fr(c20 + fr(a2 * w0)); c21 = fr(c21 + fr(a2 * w1)); c22 = fr(c22 + fr(a2 * w2)); c23 = fr(c23 + fr(a2 * w3));
        c30 = fr(c30 + fr(a3 * w0)); c31 = fr(c31 + fr(a3 * w1)); c32 = fr(c32 + fr(a3 * w2)); c33 = fr(c33 + fr(a3 * w3));
      }
      const z = (zPtr >>> 2) + r * zStride + j;
      f32[z] = c00; f32[z + 1] = c01; f32[z + 2] = c02; f32[z + 3] = c03;
      f32[z + zStride] = c10; f32[z + zStride + 1] = c11; f32[z + zStride + 2] = c12; f32[z + zStride + 3] = c13;
      f32[z + 2 * zStride] = c20; f32[z + 2 * zStride + 1] = c21; f32[z + 2 * zStride + 2] = c22; f32[z + 2 * zStride + 3] = c23;
      f32[z + 3 * zStride] = c30; f32[z + 3 * zStride + 1] = c31; f32[z + 3 * zStride + 2] = c32; f32[z + 3 * zStride + 3] = c33;
    }
  }
  // ragged edges: the simple loop, which sums in the same order
  if (fullCols < nOut) {
    for (let r = 0; r < fullRows; r++) {
      for (let j = fullCols; j < nOut; j++) edge(mem, xPtr, xStride, packedPtr, zPtr, zStride, r, j, k);
    }
  }
  if (fullRows < rows) gemmInOrder(mem, xPtr + fullRows * xStride * 4, xStride, packedPtr, zPtr + fullRows * zStride * 4, zStride, rows - fullRows, k, nOut);
}

function edge(mem: KernelMemory, xPtr: number, xStride: number, packedPtr: number, zPtr: number, zStride: number, r: number, j: number, k: number): void {
  const f32 = mem.f32, fr = Math.fround;
  const x = (xPtr >>> 2) + r * xStride;
  const w = (packedPtr >>> 2) + Math.floor(j / PANEL_COLS) * k * PANEL_COLS + (j % PANEL_COLS);
  let acc = 0;
  for (let kk = 0; kk < k; kk++) acc = fr(acc + fr(f32[x + kk] * f32[w + kk * PANEL_COLS]));
  f32[(zPtr >>> 2) + r * zStride + j] = acc;
}
