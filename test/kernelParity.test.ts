import { describe, expect, it } from 'vitest';
import { Activation, PANEL_COLS, STAT_FIELDS } from '../src/kernel/layout.js';
import { kernelPair } from './helpers/kernels.js';

// Shapes that are multiples of no tile (4 rows × 8 columns) and of no chunk.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [37, 53, 29],
  [65, 17, 33],
  [130, 129, 9],
];

describe('kernel parity: WASM vs the pure-TS twin', () => {
  it('fillNormal(ptr, n, seed, stream, first, scale) agrees within 1e-6 relative (libm last-bit differences only)', async () => {
    const k = await kernelPair(1 << 16);
    for (const [first, count] of [[0, 1], [3, 1001], [1_000_003, 517]]) {
      k.wasm.exports.fillNormal(k.base, count, 7, 3, first, 0.5);
      k.ref.exports.fillNormal(k.base, count, 7, 3, first, 0.5);
      const a = k.wasmMem.f32.subarray(k.base >> 2, (k.base >> 2) + count), b = k.refMem.f32.subarray(k.base >> 2, (k.base >> 2) + count);
      for (let i = 0; i < count; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-6 * Math.abs(b[i]) + 1e-12);
    }
  });

  it.each(SHAPES)('packPanels + gemm are bit-identical for rows=%i k=%i nOut=%i', async (rows, kDim, nOut) => {
    const stride = kDim + 3, zStride = nOut + 2;
    const x = 0, w = x + rows * stride * 4, packed = w + nOut * kDim * 4;
    const z = packed + Math.ceil(nOut / PANEL_COLS) * PANEL_COLS * kDim * 4;
    const k = await kernelPair(z + rows * zStride * 4 + 64);
    for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
      const e = kernel.exports;
      e.fillNormal(k.base + x, rows * stride, 1, 1, 0, 1);
      e.fillNormal(k.base + w, nOut * kDim, 1, 2, 0, 1 / Math.sqrt(kDim));
      // Equal inputs in both memories, whatever fillNormal's last bits did.
      if (kernel === k.ref) k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + x) >> 2, (k.base + packed) >> 2), (k.base + x) >> 2);
      mem.f32.fill(NaN, (k.base + z) >> 2, ((k.base + z) >> 2) + rows * zStride);
      e.packPanels(k.base + w, k.base + packed, nOut, kDim);
      e.gemm(k.base + x, stride, k.base + packed, k.base + z, zStride, rows, kDim, nOut);
    }
    const zw = k.wasmMem.f32, zr = k.refMem.f32;
    const xs = k.wasmMem.f32, zBase = (k.base + z) >> 2;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < nOut; j++) {
        expect(zw[zBase + r * zStride + j]).toBe(zr[zBase + r * zStride + j]);
        // and both equal the float64 product to f32 accuracy
        let exact = 0;
        for (let t = 0; t < kDim; t++) exact += xs[((k.base + x) >> 2) + r * stride + t] * xs[((k.base + w) >> 2) + j * kDim + t];
        expect(Math.abs(zw[zBase + r * zStride + j] - exact)).toBeLessThan(1e-5 * Math.sqrt(kDim) + 1e-5 * Math.abs(exact));
      }
      // columns past nOut are not written
      expect(zw[zBase + r * zStride + nOut]).toBeNaN();
    }
  });

  it.each([['identity', Activation.identity], ['relu', Activation.relu]] as const)('activateWithStats(%s) writes identical a and identical per-row statistics', async (_name, act) => {
    const rows = 37, cols = 53, stride = 61;
    const z = 0, a = rows * stride * 4, stats = Math.ceil((a + rows * stride * 4) / 8) * 8;
    const k = await kernelPair(stats + rows * STAT_FIELDS * 8 + 64);
    k.wasm.exports.fillNormal(k.base + z, rows * stride, 3, 9, 0, 2);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + z) >> 2, ((k.base + z) >> 2) + rows * stride), (k.base + z) >> 2);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.activateWithStats(k.base + z, stride, k.base + a, stride, rows, cols, act, k.base + stats);
    const s = (k.base + stats) >> 3;
    expect(Array.from(k.wasmMem.f64.subarray(s, s + rows * STAT_FIELDS))).toEqual(Array.from(k.refMem.f64.subarray(s, s + rows * STAT_FIELDS)));
    const av = (k.base + a) >> 2;
    expect(k.wasmMem.f32.subarray(av, av + rows * stride)).toEqual(k.refMem.f32.subarray(av, av + rows * stride));
    // row 0 checked against a direct computation
    const zRow = Array.from(k.wasmMem.f32.subarray((k.base + z) >> 2, ((k.base + z) >> 2) + cols));
    const aRow = zRow.map((v) => (act === Activation.relu ? Math.max(v, 0) : v));
    expect(k.wasmMem.f64[s + 1]).toBeCloseTo(zRow.reduce((t, v) => t + v * v, 0), 10);
    expect(k.wasmMem.f64[s + 5]).toBeCloseTo(aRow.reduce((t, v) => t + v * v, 0), 10);
    expect(k.wasmMem.f64[s + 8]).toBe(aRow.filter((v) => v === 0).length);
  });

  it('histogram counts every value once, identically in both, consistent with the edges', async () => {
    const rows = 29, cols = 41, stride = 43, bins = 17;
    const v = 0, edges = Math.ceil((rows * stride * 4) / 8) * 8, counts = edges + (bins + 1) * 8;
    const k = await kernelPair(counts + bins * 4 + 64);
    k.wasm.exports.fillNormal(k.base + v, rows * stride, 5, 5, 0, 1);
    const values = k.wasmMem.f32.slice((k.base + v) >> 2, ((k.base + v) >> 2) + rows * stride);
    k.refMem.f32.set(values, (k.base + v) >> 2);
    let lo = Infinity, hi = -Infinity;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) (lo = Math.min(lo, values[r * stride + c])), (hi = Math.max(hi, values[r * stride + c]));
    const e = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
    for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
      mem.f64.set(e, (k.base + edges) >> 3);
      mem.u32.fill(0, (k.base + counts) >> 2, ((k.base + counts) >> 2) + bins);
      kernel.exports.histogram(k.base + v, stride, rows, cols, k.base + edges, bins, k.base + counts);
    }
    const cw = Array.from(k.wasmMem.u32.subarray((k.base + counts) >> 2, ((k.base + counts) >> 2) + bins));
    const cr = Array.from(k.refMem.u32.subarray((k.base + counts) >> 2, ((k.base + counts) >> 2) + bins));
    expect(cw).toEqual(cr);
    expect(cw.reduce((s, c) => s + c, 0)).toBe(rows * cols);
    const expected = new Array(bins).fill(0);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      const x = values[r * stride + c];
      let i = e.findIndex((edge, j) => j < bins && x >= edge && (x < e[j + 1] || j === bins - 1));
      expected[i]++;
    }
    expect(cw).toEqual(expected);
  });
});
