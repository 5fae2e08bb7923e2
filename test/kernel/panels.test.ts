// Packing W into the GEMM kernels' panels (assembly/panels.ts), byte for byte against the pure-TS twin.
import { describe, expect, it } from 'vitest';
import { WIDE_COLS } from '../../src/kernel/layout.js';
import { kernelPair } from '../helpers/kernels.js';

describe('packing W into panels', () => {
  // the kernel packs 4 rows × 4 k at a time (transposed in registers), the rest one by one: every byte
  // of the panels, the zero padding past nOut included, over memory that held something else
  it.each([[1, 1], [3, 5], [4, 4], [8, 9], [37, 53], [33, 1023], [1024, 7]])('packPanels and packWide of %i × %i write the twin\'s bytes, padding included', async (nOut, kDim) => {
    const w = 0, packed = Math.ceil((nOut * kDim * 4) / 64) * 64, bytes = Math.ceil(nOut / WIDE_COLS) * WIDE_COLS * kDim * 4;
    const k = await kernelPair(packed + bytes + 64);
    k.wasm.exports.fillNormal(k.base + w, nOut * kDim, 4, 4, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + w) >> 2, ((k.base + w) >> 2) + nOut * kDim), (k.base + w) >> 2);
    for (const pack of ['packPanels', 'packWide'] as const) {
      for (const mem of [k.wasmMem, k.refMem]) mem.f32.fill(NaN, (k.base + packed) >> 2, ((k.base + packed) >> 2) + bytes / 4);
      for (const kernel of [k.wasm, k.ref]) kernel.exports[pack](k.base + w, k.base + packed, nOut, kDim);
      const view = (mem: typeof k.wasmMem) => Array.from(mem.u32.subarray((k.base + packed) >> 2, ((k.base + packed) >> 2) + bytes / 4));
      expect(view(k.wasmMem)).toEqual(view(k.refMem));
    }
  });
});
