// Pure-TS twin of assembly/panels.ts.
import type { KernelMemory } from '../kernelMemory.js';

/** Twin of packColumnPanels: panels of `cols` output columns, k-major inside, zero-padded. */
export function packColumnPanels(mem: KernelMemory, wPtr: number, packedPtr: number, nOut: number, k: number, cols: number): void {
  const f32 = mem.f32;
  const w = wPtr >>> 2;
  let out = packedPtr >>> 2;
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
