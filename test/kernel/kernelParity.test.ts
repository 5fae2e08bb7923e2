import { Arena } from '../../src/kernel/arena.js';
import { describe, expect, it } from 'vitest';
import * as layout from '../../src/kernel/layout.js';
import { HIST_LANES, layerScratchBytes, PANEL_COLS, ROW_ACC_BYTES, STAT_FIELDS, WIDE_COLS, zeroSkipScratchBytes } from '../../src/kernel/layout.js';
import { nodeWasmModule } from '../../src/kernel/wasmFile.js';
import { phi as phiKernelByCode } from '../../src/kernel/reference/activations.js';
import { ACTIVATION_NAMES, ACTIVATIONS, type ActivationName } from '../../src/theory/activations.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { kernelPair } from '../helpers/kernels.js';

// The table's kernel code of each activation. Every activation test below runs the kernel at that code
// against the table's φ (through the twin), so a code that drifted between the two would fail them.
const Activation = Object.fromEntries(ACTIVATION_NAMES.map((name) => [name, ACTIVATIONS[name].code])) as Record<ActivationName, number>;
const phiKernel = (z: number, name: ActivationName) => phiKernelByCode(z, Activation[name], 0.1);

// Shapes that are multiples of no tile (4 rows × 8 columns) and of no chunk.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [37, 53, 29],
  [65, 17, 33],
  [130, 129, 9],
  [6, 1023, 1023],
];

/** Kernel exports a parity test below has compared with the twin; the last test checks that none is left out. */
const covered = new Set<string>();
const cover = (...names: string[]) => names.forEach((n) => covered.add(n));

describe('kernel parity: WASM vs the pure-TS twin', () => {
  it('every constant assembly/layout.ts exports as a WASM global equals its twin in src/kernel/layout.ts, and every twin is exported', async () => {
    const module = await nodeWasmModule('wasm-simd');
    const { exports } = await WebAssembly.instantiate(module, {});
    const globals = WebAssembly.Module.exports(module).filter((e) => e.kind === 'global').map((e) => e.name);
    // the host's own: wasm32 page and address limits, and the bias padding it derives from WIDE_COLS
    const HOST_ONLY = ['WASM_PAGE_BYTES', 'WASM_MAX_BYTES', 'BIAS_PAD'];
    const twins: Record<string, number> = {};
    for (const [name, value] of Object.entries(layout)) if (typeof value === 'number' && /^[A-Z_]+$/.test(name) && !HOST_ONLY.includes(name)) twins[name] = value;
    expect(globals.sort()).toEqual(Object.keys(twins).sort());
    for (const name of globals) expect((exports[name] as WebAssembly.Global).value, name).toBe(twins[name]);
  });

  it('fillNormal(ptr, n, seed, stream, first, scale) agrees within 1e-6 relative (libm last-bit differences only)', async () => {
    cover('fillNormal');
    const k = await kernelPair(1 << 16);
    // (the last range crosses block 2³², where the counter's high word steps)
    for (const [first, count] of [[0, 1], [3, 1001], [1_000_003, 517], [4 * 2 ** 32 - 22, 64]]) {
      k.wasm.exports.fillNormal(k.base, count, 7, 3, first, 0.5);
      k.ref.exports.fillNormal(k.base, count, 7, 3, first, 0.5);
      const a = k.wasmMem.f32.subarray(k.base >> 2, (k.base >> 2) + count), b = k.refMem.f32.subarray(k.base >> 2, (k.base >> 2) + count);
      for (let i = 0; i < count; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-6 * Math.abs(b[i]) + 1e-12);
    }
  });

  it('peakMadd (the benchmark\'s calibration loop) computes the same sum as the twin and reports its flops', async () => {
    cover('peakMadd');
    const k = await kernelPair(64);
    for (const n of [0, 1, 7, 10_000]) {
      const flops = k.wasm.exports.peakMadd(n, k.base), expected = k.ref.exports.peakMadd(n, k.base);
      expect(flops).toBe(60 * n);
      expect(expected).toBe(60 * n);
      expect(k.wasmMem.f32[k.base >> 2]).toBe(k.refMem.f32[k.base >> 2]);
    }
    expect(k.wasmMem.f32[k.base >> 2]).toBeGreaterThan(30_000); // 10⁴ rounds of 6 sums of ≈ 1 · w
  });

  it.each(SHAPES)('packPanels + gemm are bit-identical for rows=%i k=%i nOut=%i', async (rows, kDim, nOut) => {
    cover('packPanels', 'gemm', 'heapBase');
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
    cover('activateWithStats');
    const rows = 37, cols = 53, stride = 61;
    const z = 0, a = rows * stride * 4, stats = Math.ceil((a + rows * stride * 4) / 8) * 8, acc = stats + rows * STAT_FIELDS * 8;
    const k = await kernelPair(acc + ROW_ACC_BYTES + 64);
    k.wasm.exports.fillNormal(k.base + z, rows * stride, 3, 9, 0, 2);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + z) >> 2, ((k.base + z) >> 2) + rows * stride), (k.base + z) >> 2);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.activateWithStats(k.base + z, stride, k.base + a, stride, rows, cols, act, 0, k.base + stats, k.base + acc);
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

  it.each([['normal', 'identity'], ['relu', 'identity'], ['normal', 'relu'], ['normal', 'leaky_relu']] as const)('histogram counts every value once, identically in both, consistent with the edges (%s values through φ of %s)', async (kind, through) => {
    cover('histogram');
    const rows = 29, cols = 41, stride = 43, bins = 17;
    const v = 0, edges = Math.ceil((rows * stride * 4) / 8) * 8, counts = edges + (bins + 1) * 8;
    const k = await kernelPair(counts + HIST_LANES * bins * 4 + 64);
    k.wasm.exports.fillNormal(k.base + v, rows * stride, 5, 5, 0, 1);
    // runs of exact zeros land in one bin from every counting lane
    if (kind === 'relu') for (let i = (k.base + v) >> 2; i < ((k.base + v) >> 2) + rows * stride; i++) k.wasmMem.f32[i] = Math.max(k.wasmMem.f32[i], 0);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + v) >> 2, ((k.base + v) >> 2) + rows * stride), (k.base + v) >> 2);
    // what is counted: the values through φ (identity, ReLU and leaky ReLU are exact in the twin)
    const values = Float32Array.from(k.wasmMem.f32.subarray((k.base + v) >> 2, ((k.base + v) >> 2) + rows * stride), (z) => phiKernel(z, through));
    let lo = Infinity, hi = -Infinity;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) (lo = Math.min(lo, values[r * stride + c])), (hi = Math.max(hi, values[r * stride + c]));
    const e = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
    for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
      mem.f64.set(e, (k.base + edges) >> 3);
      mem.u32.fill(0, (k.base + counts) >> 2, ((k.base + counts) >> 2) + bins);
      kernel.exports.histogram(k.base + v, stride, rows, cols, Activation[through], 0.1, k.base + edges, bins, k.base + counts);
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

  // a histogram layer's a is counted through φ from its kept z after later layers overwrote a: it must count
  // exactly what the layer's epilogue wrote. Fine bins (4096 over ~68k values) make a wrong code, α or
  // value visible; the bits themselves are the same function (phi4 is lane-wise phi), and scripts/hashRuns.mjs
  // compares whole runs.
  it.each(ACTIVATION_NAMES)('histogram of z through φ of %s counts exactly the a the layer epilogue writes', async (name) => {
    const rows = 67, cols = 1021, stride = 1024, bins = 4096;
    const z = 0, a = rows * stride * 4, stats = 2 * a, acc = stats + rows * STAT_FIELDS * 8, edges = acc + ROW_ACC_BYTES, counts = edges + (bins + 1) * 8;
    const k = await kernelPair(counts + HIST_LANES * bins * 4 + 64), e = k.wasm.exports, mem = k.wasmMem, at = (p: number) => k.base + p;
    e.fillNormal(at(z), rows * stride, 9, 3, 0, 2);
    e.activateWithStats(at(z), stride, at(a), stride, rows, cols, Activation[name], 0.1, at(stats), at(acc));
    let lo = Infinity, hi = -Infinity;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      const v = mem.f32[(at(a) >> 2) + r * stride + c];
      (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    }
    mem.f64.set(Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins)), at(edges) >> 3);
    const count = (ptr: number, through: number) => {
      mem.u32.fill(0, at(counts) >> 2, (at(counts) >> 2) + bins);
      e.histogram(at(ptr), stride, rows, cols, through, 0.1, at(edges), bins, at(counts));
      return Array.from(mem.u32.subarray(at(counts) >> 2, (at(counts) >> 2) + bins));
    };
    const ofA = count(a, Activation.identity);
    expect(ofA.reduce((s, c) => s + c, 0)).toBe(rows * cols);
    expect(count(z, Activation[name])).toEqual(ofA);
  });

  it.each([[1, 1, 1, 0], [5, 9, 13, 1], [67, 53, 29, 1], [130, 40, 64, 0], [64, 17, 8, 1], [7, 1023, 1023, 1]])(
    'denseLayer(rows=%i, k=%i, nOut=%i, act=%i) = gemm + activateWithStats, bit for bit, in WASM and in the twin',
    async (rows, kDim, nOut, act) => {
      cover('denseLayer', 'layerScratchBytes');
      const stride = Math.max(kDim, nOut) + 1;
      const a64 = Arena.alignUp;
      const x = 0, z = a64(x + rows * stride * 4), w = a64(z + rows * stride * 4), packed = a64(w + nOut * kDim * 4);
      const scratch = a64(packed + Math.ceil(nOut / PANEL_COLS) * PANEL_COLS * kDim * 4);
      const stats = a64(scratch + layerScratchBytes(stride)), stats2 = a64(stats + rows * STAT_FIELDS * 8), z2 = a64(stats2 + rows * STAT_FIELDS * 8);
      const k = await kernelPair(z2 + rows * stride * 4 + 64);
      expect(k.wasm.exports.layerScratchBytes(stride)).toBe(layerScratchBytes(stride));
      const at = (p: number) => k.base + p;
      k.wasm.exports.fillNormal(at(x), rows * stride, 2, 1, 0, 1);
      k.wasm.exports.fillNormal(at(w), nOut * kDim, 2, 2, 0, 0.3);
      k.refMem.f32.set(k.wasmMem.f32.subarray(at(x) >> 2, at(packed) >> 2), at(x) >> 2);
      const x0 = k.wasmMem.f32.slice(at(x) >> 2, (at(x) >> 2) + rows * stride);
      const rowsOf = (f32: Float32Array, p: number, cols: number) => Array.from({ length: rows }, (_, r) => Array.from(f32.subarray((at(p) >> 2) + r * stride, (at(p) >> 2) + r * stride + cols)));
      const results = [];
      for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
        const e = kernel.exports;
        e.packPanels(at(w), at(packed), nOut, kDim);
        // unfused: z2 = x·Wᵀ, then φ and statistics into stats2
        e.gemm(at(x), stride, at(packed), at(z2), stride, rows, kDim, nOut);
        e.activateWithStats(at(z2), stride, at(z2), stride, rows, nOut, act, 0, at(stats2), at(scratch));
        // fused, in place over x, keeping z
        e.denseLayer(at(x), stride, at(packed), at(z), rows, kDim, nOut, act, 0, 0, at(scratch), at(stats));
        const s1 = Array.from(mem.f64.subarray(at(stats) >> 3, (at(stats) >> 3) + rows * STAT_FIELDS));
        const s2 = Array.from(mem.f64.subarray(at(stats2) >> 3, (at(stats2) >> 3) + rows * STAT_FIELDS));
        expect(s1).toEqual(s2);
        expect(rowsOf(mem.f32, x, nOut)).toEqual(rowsOf(mem.f32, z2, nOut));
        const zKept = rowsOf(mem.f32, z, nOut);
        expect(zKept.flat().map((v) => (act === Activation.relu ? (v > 0 ? v : 0) : v))).toEqual(rowsOf(mem.f32, x, nOut).flat());
        results.push({ s1, a: rowsOf(mem.f32, x, nOut), zKept });
        mem.f32.set(x0, at(x) >> 2);
      }
      expect(results[0]).toEqual(results[1]);
    },
  );

  it.each([[1, 1, 1, 1], [5, 9, 13, 1], [67, 53, 29, 1], [130, 40, 70, 0], [64, 33, 32, 1], [3, 1023, 37, 1]])(
    'zeroSkipLayer(rows=%i, k=%i, nOut=%i, act=%i) on a half-zero input is bit-identical to denseLayer, in WASM and in the twin',
    async (rows, kDim, nOut, act) => {
      cover('zeroSkipLayer', 'packWide', 'zeroSkipScratchBytes');
      const stride = Math.max(kDim, nOut) + 3;
      const a64 = Arena.alignUp;
      const x = 0, x2 = a64(rows * stride * 4), z = a64(x2 + rows * stride * 4), z2 = a64(z + rows * stride * 4), w = a64(z2 + rows * stride * 4);
      const packed = a64(w + nOut * kDim * 4), wide = a64(packed + Math.ceil(nOut / 8) * 8 * kDim * 4);
      const scratch = a64(wide + Math.ceil(nOut / 32) * 32 * kDim * 4);
      const stats = a64(scratch + Math.max(layerScratchBytes(stride), zeroSkipScratchBytes(stride, kDim))), stats2 = a64(stats + rows * STAT_FIELDS * 8);
      const k = await kernelPair(stats2 + rows * STAT_FIELDS * 8 + 64);
      expect(k.wasm.exports.zeroSkipScratchBytes(stride, kDim)).toBe(zeroSkipScratchBytes(stride, kDim));
      const at = (p: number) => k.base + p;
      k.wasm.exports.fillNormal(at(x), rows * stride, 4, 1, 0, 1);
      k.wasm.exports.fillNormal(at(w), nOut * kDim, 4, 2, 0, 0.2);
      const f = k.wasmMem.f32;
      for (let i = at(x) >> 2; i < (at(x) >> 2) + rows * stride; i++) f[i] = f[i] > 0 ? f[i] : 0; // a ReLU output
      f.copyWithin(at(x2) >> 2, at(x) >> 2, (at(x) >> 2) + rows * stride);
      k.refMem.f32.set(f.subarray(at(x) >> 2, at(packed) >> 2), at(x) >> 2);
      const rowsOf = (f32: Float32Array, p: number) => Array.from({ length: rows }, (_, r) => Array.from(f32.subarray((at(p) >> 2) + r * stride, (at(p) >> 2) + r * stride + nOut)));
      const outcomes = [];
      for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
        const e = kernel.exports;
        e.packPanels(at(w), at(packed), nOut, kDim);
        e.packWide(at(w), at(wide), nOut, kDim);
        e.denseLayer(at(x), stride, at(packed), at(z), rows, kDim, nOut, act, 0, 0, at(scratch), at(stats));
        // the scratch full of NaN: a record read past a list's end (the tile reads one ahead) must never be used
        mem.f32.fill(NaN, at(scratch) >> 2, (at(scratch) + zeroSkipScratchBytes(stride, kDim)) >> 2);
        e.zeroSkipLayer(at(x2), stride, at(wide), at(z2), rows, kDim, nOut, act, 0, 0, at(scratch), at(stats2));
        const dense = { a: rowsOf(mem.f32, x), z: rowsOf(mem.f32, z), s: Array.from(mem.f64.subarray(at(stats) >> 3, (at(stats) >> 3) + rows * STAT_FIELDS)) };
        const sparse = { a: rowsOf(mem.f32, x2), z: rowsOf(mem.f32, z2), s: Array.from(mem.f64.subarray(at(stats2) >> 3, (at(stats2) >> 3) + rows * STAT_FIELDS)) };
        expect(sparse).toEqual(dense);
        outcomes.push(dense);
      }
      expect(outcomes[0]).toEqual(outcomes[1]);
    },
  );
});

describe('the pure-TS GEMMs', () => {
  it.each([[1, 1, 1], [4, 4, 4], [7, 13, 11], [37, 53, 29]])('the twin\'s register-blocked gemm equals gemmInOrder bit for bit (rows=%i k=%i nOut=%i)', async (rows, kDim, nOut) => {
    const { KernelMemory } = await import('../../src/kernel/kernelMemory.js');
    const { gemmInOrder } = await import('../../src/kernel/reference/gemmInOrder.js');
    const { gemm } = await import('../../src/kernel/reference/gemm.js');
    const { createReferenceKernel } = await import('../../src/kernel/reference/index.js');
    const kernel = createReferenceKernel();
    const mem = new KernelMemory(kernel.memory);
    const x = 64, w = x + rows * kDim * 4, packed = w + nOut * kDim * 4, z1 = packed + Math.ceil(nOut / 8) * 32 * kDim, z2 = z1 + rows * nOut * 4;
    mem.ensure(z2 + rows * nOut * 4);
    kernel.exports.fillNormal(x, rows * kDim, 1, 1, 0, 1);
    kernel.exports.fillNormal(w, nOut * kDim, 1, 2, 0, 1);
    kernel.exports.packPanels(w, packed, nOut, kDim);
    gemmInOrder(mem, x, kDim, packed, z1, nOut, rows, kDim, nOut);
    gemm(mem, x, kDim, packed, z2, nOut, rows, kDim, nOut);
    expect(mem.f32.slice(z2 >> 2, (z2 >> 2) + rows * nOut)).toEqual(mem.f32.slice(z1 >> 2, (z1 >> 2) + rows * nOut));
  });
});

describe('the relaxed-SIMD build', () => {
  // (k = 600 spans several of the zero-skipping kernel's blocks of k, whose sums go through memory)
  it.each([[67, 129, 45], [13, 600, 70]])('rows=%i k=%i nOut=%i: the same layer within f32 rounding, and zero-skipping stays bit-identical to dense within the build', async (rows, kDim, nOut) => {
    const { loadNodeKernel } = await import('../../src/kernel/wasmFile.js');
    const { KernelMemory } = await import('../../src/kernel/kernelMemory.js');
    const results = [];
    const stride = Math.max(kDim, nOut) + 1;
    for (const build of ['wasm-simd', 'wasm-relaxed-simd'] as const) {
      const kernel = await loadNodeKernel(build);
      const mem = new KernelMemory(kernel.memory), e = kernel.exports;
      const a64 = Arena.alignUp;
      const x = a64(e.heapBase()), x2 = a64(x + rows * stride * 4), w = a64(x2 + rows * stride * 4), packed = a64(w + nOut * kDim * 4);
      const wide = a64(packed + Math.ceil(nOut / PANEL_COLS) * PANEL_COLS * kDim * 4), scratch = a64(wide + Math.ceil(nOut / WIDE_COLS) * WIDE_COLS * kDim * 4), stats = a64(scratch + zeroSkipScratchBytes(stride, kDim) + layerScratchBytes(stride)), stats2 = a64(stats + rows * STAT_FIELDS * 8);
      mem.ensure(stats2 + rows * STAT_FIELDS * 8);
      e.fillNormal(x, rows * stride, 9, 1, 0, 1);
      for (let i = x >> 2; i < (x >> 2) + rows * stride; i++) mem.f32[i] = Math.max(mem.f32[i], 0);
      mem.f32.copyWithin(x2 >> 2, x >> 2, (x >> 2) + rows * stride);
      e.fillNormal(w, nOut * kDim, 9, 2, 0, 0.1);
      e.packPanels(w, packed, nOut, kDim);
      e.packWide(w, wide, nOut, kDim);
      e.denseLayer(x, stride, packed, 0, rows, kDim, nOut, Activation.relu, 0, 0, scratch, stats);
      e.zeroSkipLayer(x2, stride, wide, 0, rows, kDim, nOut, Activation.relu, 0, 0, scratch, stats2);
      const a = Array.from(mem.f32.subarray(x >> 2, (x >> 2) + rows * stride));
      expect(Array.from(mem.f32.subarray(x2 >> 2, (x2 >> 2) + rows * stride))).toEqual(a);
      expect(Array.from(mem.f64.subarray(stats2 >> 3, (stats2 >> 3) + rows * STAT_FIELDS))).toEqual(Array.from(mem.f64.subarray(stats >> 3, (stats >> 3) + rows * STAT_FIELDS)));
      results.push(a.filter((_, i) => i % stride < nOut));
    }
    const [plain, relaxed] = results;
    let differ = 0;
    for (let i = 0; i < plain.length; i++) {
      // k terms of size ~0.1 (z ~ N(0, k/200)): rounding differences stay below 1e-7 per term
      expect(Math.abs(plain[i] - relaxed[i])).toBeLessThan(1e-7 * kDim);
      if (plain[i] !== relaxed[i]) differ++;
    }
    // fused multiply-add rounds differently: some outputs must differ, or the build is not relaxed
    expect(differ).toBeGreaterThan(0);
  });
});

describe('issue-5 kernels', () => {
  it.each(['leaky_relu', 'tanh', 'sigmoid', 'gelu', 'selu', 'silu'] as const)('activateWithStats(%s) agrees with the twin (leaky ReLU bit for bit, the others within 2 f32 ulps)', async (name) => {
    const rows = 9, cols = 101, stride = 101;
    const z = 0, a = 4096, stats = 8192, acc = stats + rows * STAT_FIELDS * 8;
    const k = await kernelPair(acc + ROW_ACC_BYTES + 64);
    k.wasm.exports.fillNormal(k.base + z, rows * stride, 8, 8, 0, 2.5);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + z) >> 2, ((k.base + z) >> 2) + rows * stride), (k.base + z) >> 2);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.activateWithStats(k.base + z, stride, k.base + a, stride, rows, cols, Activation[name], 0.1, k.base + stats, k.base + acc);
    const av = (k.base + a) >> 2;
    const w = k.wasmMem.f32.subarray(av, av + rows * stride), r = k.refMem.f32.subarray(av, av + rows * stride);
    if (name === 'leaky_relu') expect(w).toEqual(r);
    for (let i = 0; i < w.length; i++) expect(Math.abs(w[i] - r[i])).toBeLessThanOrEqual(2.4e-7 * Math.abs(r[i]) + 1e-30);
  });

  // δ ⊙ φ′ on an odd block (9 × 101 in stride 103): WASM = twin (φ′ read off a bit for bit; φ′ at z the
  // piecewise ones bit for bit, the transcendental ones within 2 f32 ulps), and φ′ itself within 4e-7
  // of float64 (GELU's erfc fit: 1.2e-7)
  it.each(ACTIVATION_NAMES)('multiplyBySlopeAtZ and multiplyByDerivative(%s) agree with the twin and with float64 φ′', async (name) => {
    cover('multiplyBySlopeAtZ', 'multiplyByDerivative');
    const rows = 9, cols = 101, stride = 103, n = rows * stride;
    const z = 0, a = 4096 + 4 * n, deltaZ = a + 4 * n + 64, deltaA = deltaZ + 4 * n + 64;
    const k = await kernelPair(deltaA + 4 * n + 64);
    const f32 = (mem: typeof k.wasmMem, ptr: number) => mem.f32.subarray((k.base + ptr) >> 2, ((k.base + ptr) >> 2) + n);
    k.wasm.exports.fillNormal(k.base + z, n, 9, 9, 0, 2);
    k.wasm.exports.fillNormal(k.base + deltaZ, n, 9, 10, 0, 1);
    f32(k.wasmMem, deltaA).set(f32(k.wasmMem, deltaZ));
    for (let i = 0; i < n; i++) f32(k.wasmMem, a)[i] = phiKernel(f32(k.wasmMem, z)[i], name);
    for (const p of [z, a, deltaZ, deltaA]) f32(k.refMem, p).set(f32(k.wasmMem, p));
    const delta0 = Float64Array.from(f32(k.wasmMem, deltaZ));
    for (const kernel of [k.wasm, k.ref]) {
      kernel.exports.multiplyBySlopeAtZ(k.base + deltaZ, k.base + z, stride, rows, cols, Activation[name], 0.1);
      kernel.exports.multiplyByDerivative(k.base + deltaA, k.base + a, stride, rows, cols, Activation[name], 0.1);
    }
    const exact = name === 'identity' || name === 'relu' || name === 'leaky_relu';
    const slope = (zv: number) => ACTIVATIONS[name].phiPrime(zv, Math.fround(0.1));
    for (let i = 0; i < n; i++) {
      const w = f32(k.wasmMem, deltaZ)[i], r = f32(k.refMem, deltaZ)[i];
      if (i % stride >= cols) { expect(w).toBe(delta0[i]); continue; } // outside the block: untouched
      if (exact) expect(w).toBe(r);
      // 2 f32 ulps, and GELU's erfc fit: the kernel's φ′ is off by up to 1.2e-7 absolute where φ′ crosses 0
      else expect(Math.abs(w - r)).toBeLessThanOrEqual(2.4e-7 * Math.abs(r) + (name === 'gelu' ? 1.5e-7 * Math.abs(delta0[i]) : 1e-30));
      const want = delta0[i] * slope(f32(k.wasmMem, z)[i]);
      expect(Math.abs(w - want), `${name} at z = ${f32(k.wasmMem, z)[i]}`).toBeLessThanOrEqual(4e-7 * Math.abs(delta0[i]) + 1e-30);
    }
    if (name !== 'gelu' && name !== 'silu') {
      const wa = f32(k.wasmMem, deltaA), ra = f32(k.refMem, deltaA);
      // φ′ read off a is computed in f64 and rounded once on both sides: bit for bit
      for (let i = 0; i < n; i++) expect(wa[i]).toBe(ra[i]);
    }
  });

  it('a bias is added identically by denseLayer, zeroSkipLayer and the twins', async () => {
    const rows = 21, kDim = 45, nOut = 37, stride = 48;
    const a64 = Arena.alignUp;
    const x = 0, x2 = a64(rows * stride * 4), w = a64(x2 + rows * stride * 4), packed = a64(w + nOut * kDim * 4), wide = a64(packed + 40 * kDim * 4);
    const bias = a64(wide + 64 * kDim * 4), scratch = a64(bias + 64 * 4), stats = a64(scratch + zeroSkipScratchBytes(stride, kDim) + layerScratchBytes(stride)), stats2 = a64(stats + rows * STAT_FIELDS * 8);
    const k = await kernelPair(stats2 + rows * STAT_FIELDS * 8);
    const at = (p: number) => k.base + p;
    k.wasm.exports.fillNormal(at(x), rows * stride, 3, 1, 0, 1);
    for (let i = at(x) >> 2; i < (at(x) >> 2) + rows * stride; i++) k.wasmMem.f32[i] = Math.max(0, k.wasmMem.f32[i]);
    k.wasmMem.f32.copyWithin(at(x2) >> 2, at(x) >> 2, (at(x) >> 2) + rows * stride);
    k.wasm.exports.fillNormal(at(w), nOut * kDim, 3, 2, 0, 0.15);
    k.wasmMem.f32.fill(0, at(bias) >> 2, (at(bias) >> 2) + 64);
    k.wasm.exports.fillNormal(at(bias), nOut, 3, 3, 0, 0.5);
    k.refMem.f32.set(k.wasmMem.f32.subarray(at(x) >> 2, at(scratch) >> 2), at(x) >> 2);
    const outs = [];
    for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
      const e = kernel.exports;
      e.packPanels(at(w), at(packed), nOut, kDim);
      e.packWide(at(w), at(wide), nOut, kDim);
      e.denseLayer(at(x), stride, at(packed), 0, rows, kDim, nOut, Activation.tanh, 0, at(bias), at(scratch), at(stats));
      e.zeroSkipLayer(at(x2), stride, at(wide), 0, rows, kDim, nOut, Activation.tanh, 0, at(bias), at(scratch), at(stats2));
      const a1 = Array.from(mem.f32.subarray(at(x) >> 2, (at(x) >> 2) + rows * stride)).filter((_, i) => i % stride < nOut);
      const a2 = Array.from(mem.f32.subarray(at(x2) >> 2, (at(x2) >> 2) + rows * stride)).filter((_, i) => i % stride < nOut);
      expect(a2).toEqual(a1);
      outs.push(a1);
    }
    // the bias moved the outputs: with b = 0 they would be tanh of a zero-mean sum
    const mean = outs[0].reduce((s, v) => s + v, 0) / outs[0].length;
    expect(Math.abs(mean)).toBeGreaterThan(0.01);
    for (let i = 0; i < outs[0].length; i++) expect(Math.abs(outs[0][i] - outs[1][i])).toBeLessThan(3e-7);
  });

  it.each([[40, 40], [30, 77], [64, 64]])('orthonormalizeRows(%i × %i) gives ‖QQᵀ − I‖max < 1e-4 (f32 output), in WASM and the twin', async (rows, cols) => {
    const w = 0, scratch = Math.ceil((rows * cols * 4) / 64) * 64;
    const k = await kernelPair(scratch + rows * cols * 8);
    for (const [kernel, mem] of [[k.wasm, k.wasmMem], [k.ref, k.refMem]] as const) {
      k.wasm.exports.fillNormal(k.base + w, rows * cols, 5, 5, 0, 1);
      if (kernel === k.ref) k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + w) >> 2, ((k.base + w) >> 2) + rows * cols), (k.base + w) >> 2);
      kernel.exports.orthonormalizeRows(k.base + w, rows, cols, k.base + scratch);
      const q = mem.f32.subarray((k.base + w) >> 2, ((k.base + w) >> 2) + rows * cols);
      let worst = 0;
      for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) {
        let d = 0;
        for (let c = 0; c < cols; c++) d += q[i * cols + c] * q[j * cols + c];
        worst = Math.max(worst, Math.abs(d - (i === j ? 1 : 0)));
      }
      expect(worst).toBeLessThan(1e-4);
    }
  });
});

describe('the rest of the exports', () => {
  it.each([[1, 1], [3, 7], [37, 53], [130, 9]])('transpose(%i × %i) and scaleInPlace are bit-identical to the twin', async (rows, cols) => {
    cover('transpose', 'scaleInPlace');
    const src = 0, dst = Math.ceil((rows * cols * 4) / 64) * 64;
    const k = await kernelPair(dst + rows * cols * 4);
    k.wasm.exports.fillNormal(k.base + src, rows * cols, 6, 6, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + src) >> 2, ((k.base + src) >> 2) + rows * cols), (k.base + src) >> 2);
    const input = Array.from(k.wasmMem.f32.subarray((k.base + src) >> 2, ((k.base + src) >> 2) + rows * cols));
    for (const [kernel] of [[k.wasm], [k.ref]] as const) {
      kernel.exports.transpose(k.base + src, k.base + dst, rows, cols);
      kernel.exports.scaleInPlace(k.base + src, rows * cols, 1 / 3);
    }
    const view = (mem: typeof k.wasmMem, ptr: number) => Array.from(mem.f32.subarray((k.base + ptr) >> 2, ((k.base + ptr) >> 2) + rows * cols));
    expect(view(k.wasmMem, dst)).toEqual(view(k.refMem, dst));
    expect(view(k.wasmMem, src)).toEqual(view(k.refMem, src));
    // and they do what they say: dst[c][r] = src[r][c], and each value times 1/3 rounded once to f32
    const t = view(k.wasmMem, dst), scaled = view(k.wasmMem, src);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(t[c * rows + r]).toBe(input[r * cols + c]);
    for (let i = 0; i < input.length; i++) expect(scaled[i]).toBe(Math.fround(input[i] * (1 / 3)));
  });

  it.each([[1, 5], [40, 40], [30, 77], [17, 33]])('orthonormalizeRows(%i × %i) is bit-identical to the twin (the same f64 operations in the same order)', async (rows, cols) => {
    cover('orthonormalizeRows');
    const w = 0, scratch = Math.ceil((rows * cols * 4) / 64) * 64;
    const k = await kernelPair(scratch + rows * cols * 8);
    k.wasm.exports.fillNormal(k.base + w, rows * cols, 5, 5, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + w) >> 2, ((k.base + w) >> 2) + rows * cols), (k.base + w) >> 2);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.orthonormalizeRows(k.base + w, rows, cols, k.base + scratch);
    const view = (mem: typeof k.wasmMem) => Array.from(mem.f32.subarray((k.base + w) >> 2, ((k.base + w) >> 2) + rows * cols));
    expect(view(k.wasmMem)).toEqual(view(k.refMem));
  });

  it.each([[1, 1, 1], [3, 7, 2], [37, 53, 8], [130, 9, 64], [65, 1023, 64]])('blockColumnSums(%i rows × %i cols, blocks of %i) is bit-identical to the twin and equals the per-block sums it describes', async (rows, cols, blockRows) => {
    cover('blockColumnSums');
    const stride = cols + 3, blocks = Math.ceil(rows / blockRows);
    const x = 0, scales = Math.ceil((rows * stride * 4) / 64) * 64, out = scales + Math.ceil((rows * 8) / 64) * 64;
    const k = await kernelPair(out + blocks * cols * 8);
    k.wasm.exports.fillNormal(k.base + x, rows * stride, 8, 8, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + x) >> 2, ((k.base + x) >> 2) + rows * stride), (k.base + x) >> 2);
    // row factors 1/‖row‖ as the host forms them, with every 5th row left out (factor 0) and one row of ∞
    const f32 = k.wasmMem.f32, base32 = (k.base + x) >> 2;
    if (rows > 2) f32[base32 + 2 * stride] = Infinity;
    k.refMem.f32.set(f32.subarray(base32, base32 + rows * stride), base32);
    const factors = Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let c = 0; c < cols; c++) s += f32[base32 + r * stride + c] ** 2;
      return r % 5 === 4 || !Number.isFinite(s) ? 0 : 1 / Math.sqrt(s);
    });
    for (const mem of [k.wasmMem, k.refMem]) {
      mem.f64.set(factors, (k.base + scales) >> 3);
      mem.f64.fill(123, (k.base + out) >> 3, ((k.base + out) >> 3) + blocks * cols);
    }
    for (const kernel of [k.wasm, k.ref]) kernel.exports.blockColumnSums(k.base + x, stride, rows, cols, k.base + scales, blockRows, k.base + out);
    const view = (mem: typeof k.wasmMem) => Array.from(mem.f64.subarray((k.base + out) >> 3, ((k.base + out) >> 3) + blocks * cols));
    expect(view(k.wasmMem)).toEqual(view(k.refMem));
    const got = view(k.wasmMem);
    for (let b = 0; b < blocks; b++) {
      for (let c = 0; c < cols; c++) {
        let want = 0;
        for (let r = b * blockRows; r < Math.min(rows, (b + 1) * blockRows); r++) if (factors[r] !== 0) want += f32[base32 + r * stride + c] * factors[r];
        expect(got[b * cols + c]).toBe(want);
      }
    }
  });

  it.each([[1, 1, 1], [3, 7, 2], [37, 53, 8], [130, 9, 64], [65, 1023, 64]])('blockColumnProducts(%i rows × %i cols, blocks of %i) is bit-identical to the twin and equals the per-block sums of products', async (rows, cols, blockRows) => {
    cover('blockColumnProducts');
    const stride = cols + 1, blocks = Math.ceil(rows / blockRows), second = Math.ceil((rows * stride * 4) / 64) * 64, out = 2 * second;
    const k = await kernelPair(out + blocks * cols * 8);
    k.wasm.exports.fillNormal(k.base, rows * stride, 11, 11, 0, 1);
    k.wasm.exports.fillNormal(k.base + second, rows * stride, 11, 12, 0, 1);
    const base32 = k.base >> 2, f32 = k.wasmMem.f32, b32 = (k.base + second) >> 2;
    k.refMem.f32.set(f32.subarray(base32, base32 + out / 4), base32);
    for (const mem of [k.wasmMem, k.refMem]) mem.f64.fill(-7, (k.base + out) >> 3, ((k.base + out) >> 3) + blocks * cols);
    // a·b on odd shapes, then a·a (the per-channel squares batch norm needs)
    for (const kernel of [k.wasm, k.ref]) kernel.exports.blockColumnProducts(k.base, k.base + second, stride, rows, cols, blockRows, k.base + out);
    const products = (mem: typeof k.wasmMem) => Array.from(mem.f64.subarray((k.base + out) >> 3, ((k.base + out) >> 3) + blocks * cols));
    expect(products(k.wasmMem)).toEqual(products(k.refMem));
    const gotProducts = products(k.wasmMem);
    for (let b = 0; b < blocks; b++) {
      for (let c = 0; c < cols; c++) {
        let want = 0;
        for (let r = b * blockRows; r < Math.min(rows, (b + 1) * blockRows); r++) want += f32[base32 + r * stride + c] * f32[b32 + r * stride + c];
        expect(gotProducts[b * cols + c]).toBe(want);
      }
    }
    for (const kernel of [k.wasm, k.ref]) kernel.exports.blockColumnProducts(k.base, k.base, stride, rows, cols, blockRows, k.base + out);
    const view = (mem: typeof k.wasmMem) => Array.from(mem.f64.subarray((k.base + out) >> 3, ((k.base + out) >> 3) + blocks * cols));
    expect(view(k.wasmMem)).toEqual(view(k.refMem));
    const got = view(k.wasmMem);
    for (let b = 0; b < blocks; b++) {
      for (let c = 0; c < cols; c++) {
        let want = 0;
        for (let r = b * blockRows; r < Math.min(rows, (b + 1) * blockRows); r++) want += f32[base32 + r * stride + c] ** 2;
        expect(got[b * cols + c]).toBe(want);
      }
    }
  });

  it.each([[1, 1], [3, 7], [37, 53], [9, 1025]])('addScaled and normalizeRows (%i × %i) are bit-identical to the twin and do what they say', async (rows, cols) => {
    cover('addScaled', 'normalizeRows');
    const stride = cols + 2, x = 0, r = Math.ceil((rows * stride * 4) / 64) * 64, h = 2 * r;
    const k = await kernelPair(3 * r);
    k.wasm.exports.fillNormal(k.base + x, rows * stride, 12, 12, 0, 3);
    k.wasm.exports.fillNormal(k.base + r, rows * stride, 12, 13, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray(k.base >> 2, (k.base + h) >> 2), k.base >> 2);
    const view = (mem: typeof k.wasmMem, ptr: number) => Array.from(mem.f32.subarray((k.base + ptr) >> 2, ((k.base + ptr) >> 2) + rows * stride));
    const before = view(k.wasmMem, x), branch = view(k.wasmMem, r);
    for (const kernel of [k.wasm, k.ref]) {
      kernel.exports.addScaled(k.base + x, k.base + r, stride, rows, cols, 0.3);
      kernel.exports.normalizeRows(k.base + x, k.base + h, stride, rows, cols, 1e-5);
    }
    expect(view(k.wasmMem, x)).toEqual(view(k.refMem, x));
    expect(view(k.wasmMem, h)).toEqual(view(k.refMem, h));
    const after = view(k.wasmMem, x), normalized = view(k.wasmMem, h);
    for (let i = 0; i < rows; i++) {
      let mean = 0, square = 0;
      for (let c = 0; c < cols; c++) {
        expect(after[i * stride + c]).toBe(Math.fround(before[i * stride + c] + 0.3 * branch[i * stride + c]));
        mean += normalized[i * stride + c] / cols;
        square += normalized[i * stride + c] ** 2 / cols;
      }
      // each row of h has mean 0 and E[h²] = σ²/(σ² + ε): 1 within f32 rounding and ε (a 1-column row is all 0)
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      if (cols > 1) expect(Math.abs(square - 1)).toBeLessThan(1e-5);
    }
  });

  it.each([[1, 1], [3, 7], [37, 53], [9, 1025]])('normalizeColumns and normalizeColumnsBackward (%i × %i) are bit-identical to the twin and are (x − μ)·s and s·(δ − m1 − h·m2) rounded once', async (rows, cols) => {
    cover('normalizeColumns', 'normalizeColumnsBackward');
    const stride = cols + 3, buf = Math.ceil((rows * stride * 4) / 64) * 64, x = 0, h = buf, d = 2 * buf, params = 3 * buf;
    const k = await kernelPair(params + 4 * cols * 8);
    k.wasm.exports.fillNormal(k.base + x, rows * stride, 14, 1, 0, 2);
    k.wasm.exports.fillNormal(k.base + d, rows * stride, 14, 2, 0, 1);
    const mean = Array.from({ length: cols }, (_, c) => 0.1 * c - 0.3), scale = Array.from({ length: cols }, (_, c) => 1 / (1 + 0.01 * c));
    const m1 = Array.from({ length: cols }, (_, c) => 0.02 * c), m2 = Array.from({ length: cols }, (_, c) => -0.05 + 0.001 * c);
    k.refMem.f32.set(k.wasmMem.f32.subarray(k.base >> 2, (k.base + params) >> 2), k.base >> 2);
    for (const mem of [k.wasmMem, k.refMem]) [mean, scale, m1, m2].forEach((v, i) => mem.f64.set(v, ((k.base + params) >> 3) + i * cols));
    const at = (i: number) => k.base + params + i * cols * 8;
    const view = (mem: typeof k.wasmMem, ptr: number) => Array.from(mem.f32.subarray((k.base + ptr) >> 2, ((k.base + ptr) >> 2) + rows * stride));
    const before = view(k.wasmMem, x), delta = view(k.wasmMem, d);
    for (const kernel of [k.wasm, k.ref]) {
      kernel.exports.normalizeColumns(k.base + x, k.base + h, stride, rows, cols, at(0), at(1));
      kernel.exports.normalizeColumnsBackward(k.base + d, k.base + h, stride, rows, cols, at(1), at(2), at(3));
    }
    expect(view(k.wasmMem, h)).toEqual(view(k.refMem, h));
    expect(view(k.wasmMem, d)).toEqual(view(k.refMem, d));
    const hs = view(k.wasmMem, h), ds = view(k.wasmMem, d);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * stride + c;
        expect(hs[i]).toBe(Math.fround((before[i] - mean[c]) * scale[c]));
        expect(ds[i]).toBe(Math.fround(scale[c] * (delta[i] - m1[c] - hs[i] * m2[c])));
      }
    }
  });

  it.each([[2, 2], [3, 7], [5, 53], [2, 1025]])('normalizeRowsBackward (%i × %i) is bit-identical to the twin and is the transposed Jacobian of the layer norm (float64 central differences)', async (rows, cols) => {
    cover('normalizeRowsBackward');
    const stride = cols + 1, buf = Math.ceil((rows * stride * 4) / 64) * 64, x = 0, d = buf;
    const k = await kernelPair(2 * buf);
    k.wasm.exports.fillNormal(k.base + x, rows * stride, 15, 1, 0, 1.5);
    k.wasm.exports.fillNormal(k.base + d, rows * stride, 15, 2, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray(k.base >> 2, (k.base + 2 * buf) >> 2), k.base >> 2);
    const view = (mem: typeof k.wasmMem, ptr: number) => Array.from(mem.f32.subarray((k.base + ptr) >> 2, ((k.base + ptr) >> 2) + rows * stride));
    const xs = view(k.wasmMem, x), delta = view(k.wasmMem, d);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.normalizeRowsBackward(k.base + x, k.base + d, stride, rows, cols, 1e-5);
    expect(view(k.wasmMem, d)).toEqual(view(k.refMem, d));
    const got = view(k.wasmMem, d);
    // L(x) = Σ δ_c·h_c(x) for one row in float64; ∂L/∂x_j by central differences is the backward pass's value
    const layerNorm = (row: number[]) => {
      const mean = row.reduce((s, v) => s + v, 0) / cols, variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / cols;
      return row.map((v) => (v - mean) / Math.sqrt(variance + 1e-5));
    };
    for (let r = 0; r < rows; r++) {
      const row = xs.slice(r * stride, r * stride + cols), dr = delta.slice(r * stride, r * stride + cols);
      const loss = (v: number[]) => layerNorm(v).reduce((s, hv, c) => s + dr[c] * hv, 0);
      for (let j = 0; j < cols; j += Math.max(1, Math.floor(cols / 7))) {
        const step = 1e-6, up = row.slice(), down = row.slice();
        up[j] += step;
        down[j] -= step;
        const want = (loss(up) - loss(down)) / (2 * step);
        // f32 output (6e-8 relative) and the differences' O(step²) + rounding: 1e-5 absolute at these O(1) values
        expect(Math.abs(got[r * stride + j] - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
      }
    }
  });

  it.each([[1, 1], [3, 7], [37, 53]])('mixSharedRow(%i × %i) is bit-identical to the twin and is √c·g + √(1 − c)·x rounded once', async (rows, cols) => {
    cover('mixSharedRow');
    const stride = cols + 1, x = 0, shared = Math.ceil((rows * stride * 4) / 64) * 64;
    const k = await kernelPair(shared + cols * 4);
    k.wasm.exports.fillNormal(k.base + x, rows * stride, 9, 9, 0, 1);
    k.wasm.exports.fillNormal(k.base + shared, cols, 9, 10, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray(k.base >> 2, (k.base + shared + cols * 4) >> 2), k.base >> 2);
    const before = Array.from(k.wasmMem.f32.subarray((k.base + x) >> 2, ((k.base + x) >> 2) + rows * stride));
    const g = Array.from(k.wasmMem.f32.subarray((k.base + shared) >> 2, ((k.base + shared) >> 2) + cols));
    const a = Math.sqrt(0.3), b = Math.sqrt(0.7);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.mixSharedRow(k.base + x, stride, rows, cols, k.base + shared, a, b);
    const view = (mem: typeof k.wasmMem) => Array.from(mem.f32.subarray((k.base + x) >> 2, ((k.base + x) >> 2) + rows * stride));
    expect(view(k.wasmMem)).toEqual(view(k.refMem));
    const after = view(k.wasmMem);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < stride; c++) expect(after[r * stride + c]).toBe(c < cols ? Math.fround(a * g[c] + b * before[r * stride + c]) : before[r * stride + c]);
    }
  });

  it.each([[1, 1], [5, 7], [7, 5], [33, 17], [16, 16], [3, 64]])('gramOfTangents and householderTridiagonal (n₀ = %i tangents of length %i) are bit-identical to the twin; the tridiagonal form keeps the Gram matrix\'s trace and Frobenius norm', async (n0, nl) => {
    cover('gramOfTangents');
    cover('householderTridiagonal');
    const stride = nl + 3, m = Math.min(n0, nl), long = Math.max(n0, nl);
    const t = 0, rows = Math.ceil((n0 * stride * 4) / 64) * 64, gram = rows + Math.ceil((m * long * 8) / 64) * 64, tri = gram + m * m * 8;
    const k = await kernelPair(tri + 2 * m * 8);
    k.wasm.exports.fillNormal(k.base + t, n0 * stride, 4, 4, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray((k.base + t) >> 2, ((k.base + t) >> 2) + n0 * stride), (k.base + t) >> 2);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.gramOfTangents(k.base + t, stride, n0, nl, k.base + rows, k.base + gram);
    const lower = (mem: typeof k.wasmMem) => Array.from({ length: m }, (_, i) => Array.from(mem.f64.subarray(((k.base + gram) >> 3) + i * m, ((k.base + gram) >> 3) + i * m + i + 1))).flat();
    expect(lower(k.wasmMem)).toEqual(lower(k.refMem));
    // the Gram matrix as its definition gives it, in float64 from the float32 tangents
    const f32 = k.wasmMem.f32, at = (r: number, c: number) => f32[((k.base + t) >> 2) + r * stride + c];
    const entry = (i: number, j: number) => (n0 <= nl ? Array.from({ length: nl }, (_, c) => at(i, c) * at(j, c)) : Array.from({ length: n0 }, (_, r) => at(r, i) * at(r, j))).reduce((a, b) => a + b, 0);
    const full = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => entry(Math.max(i, j), Math.min(i, j))));
    lower(k.wasmMem).forEach((v, idx) => {
      const i = Math.floor((Math.sqrt(8 * idx + 1) - 1) / 2), j = idx - (i * (i + 1)) / 2;
      expect(Math.abs(v - full[i][j])).toBeLessThan(1e-12 * (1 + Math.abs(full[i][j])));
    });
    for (const kernel of [k.wasm, k.ref]) kernel.exports.householderTridiagonal(k.base + gram, m, k.base + tri, k.base + tri + m * 8);
    const tridiagonal = (mem: typeof k.wasmMem) => Array.from(mem.f64.subarray((k.base + tri) >> 3, ((k.base + tri) >> 3) + 2 * m));
    expect(tridiagonal(k.wasmMem)).toEqual(tridiagonal(k.refMem));
    // orthogonal similarity keeps the trace and the sum of squares: Σ d_i and Σ d_i² + 2 Σ e_i²
    const [d, e] = [tridiagonal(k.wasmMem).slice(0, m), tridiagonal(k.wasmMem).slice(m)];
    const trace = full.reduce((a, r, i) => a + r[i], 0), squares = full.flat().reduce((a, v) => a + v * v, 0);
    expect(Math.abs(d.reduce((a, v) => a + v, 0) - trace)).toBeLessThan(1e-10 * (1 + Math.abs(trace)));
    expect(Math.abs(d.reduce((a, v) => a + v * v, 0) + 2 * e.reduce((a, v) => a + v * v, 0) - squares)).toBeLessThan(1e-10 * (1 + squares));
  });

  it.each([[1, 1, 4, 0, 0], [3, 1, 5, 0, 0], [17, 3, 4, 0, 0], [17, 3, 4, 1, 0], [3, 3, 2, 1, 0], [17, 3, 4, 0, 1], [5, 3, 2, 1, 1]])('attentionForward (T = %i, %i heads of %i, causal %i, shaped %i, 2 sequences) matches the twin and a float64 softmax attention (shaped: V_i + Σ (p − 1/m)·V); with scale 0 every row is its head\'s mean of V (shaped: V_i) and each row\'s entropy log T', async (tokens, heads, headDim, causal, shaped) => {
    cover('attentionForward');
    const sequences = 2, rows = sequences * tokens, width = heads * headDim, stride = width + 2, bytes = rows * stride * 4;
    const q = 0, kk = bytes, v = 2 * bytes, out = 3 * bytes, scratch = 4 * bytes, entropy = scratch + tokens * 8;
    const k = await kernelPair(entropy + sequences * heads * 8);
    k.wasm.exports.fillNormal(k.base, 3 * rows * stride, 6, 6, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray(k.base >> 2, (k.base >> 2) + 3 * rows * stride), k.base >> 2);
    const f32 = k.wasmMem.f32, at = (buffer: number, r: number, c: number) => f32[((k.base + buffer) >> 2) + r * stride + c];
    for (const scale of [1 / Math.sqrt(headDim), 0]) {
      for (const kernel of [k.wasm, k.ref]) kernel.exports.attentionForward(k.base + q, k.base + kk, k.base + v, stride, sequences, tokens, heads, headDim, scale, causal, shaped, k.base + out, k.base + scratch, k.base + entropy);
      const outputs = (mem: typeof k.wasmMem) => Array.from({ length: rows }, (_, r) => Array.from(mem.f32.subarray(((k.base + out) >> 2) + r * stride, ((k.base + out) >> 2) + r * stride + width))).flat();
      const entropies = (mem: typeof k.wasmMem) => Array.from(mem.f64.subarray((k.base + entropy) >> 3, ((k.base + entropy) >> 3) + sequences * heads));
      outputs(k.wasmMem).forEach((value, i) => expect(Math.abs(value - outputs(k.refMem)[i])).toBeLessThan(1e-6 * (1 + Math.abs(value))));
      entropies(k.wasmMem).forEach((value, i) => expect(Math.abs(value - entropies(k.refMem)[i])).toBeLessThan(1e-12 * (1 + value)));
      // float64 softmax attention, written out
      for (let s = 0; s < sequences; s++) for (let h = 0; h < heads; h++) {
        let rowEntropy = 0;
        for (let i = 0; i < tokens; i++) {
          const keys = Array.from({ length: causal ? i + 1 : tokens }, (_, j) => j);
          const logits = keys.map((j) => scale * Array.from({ length: headDim }, (_, c) => at(q, s * tokens + i, h * headDim + c) * at(kk, s * tokens + j, h * headDim + c)).reduce((a, b) => a + b, 0));
          const top = Math.max(...logits), weights = logits.map((l) => Math.exp(l - top)), total = weights.reduce((a, b) => a + b, 0);
          const p = weights.map((w) => w / total);
          rowEntropy -= p.reduce((a, x) => a + (x > 0 ? x * Math.log(x) : 0), 0);
          for (let c = 0; c < headDim; c++) {
            const want = (shaped ? at(v, s * tokens + i, h * headDim + c) : 0) + keys.reduce((a, j, n) => a + (p[n] - (shaped ? 1 / keys.length : 0)) * at(v, s * tokens + j, h * headDim + c), 0);
            expect(Math.abs(at(out, s * tokens + i, h * headDim + c) - want)).toBeLessThan(1e-5 * (1 + Math.abs(want)));
          }
        }
        expect(Math.abs(entropies(k.wasmMem)[s * heads + h] - rowEntropy)).toBeLessThan(1e-10 * (1 + rowEntropy));
        if (scale === 0 && !causal) expect(Math.abs(entropies(k.wasmMem)[s * heads + h] - tokens * Math.log(tokens))).toBeLessThan(1e-10 * (1 + tokens));
      }
    }
  });

  it.each([[1, 1, 3, 0, 0], [3, 1, 4, 1, 0], [17, 3, 2, 0, 0], [5, 3, 3, 1, 0], [3, 1, 4, 0, 1], [17, 3, 2, 0, 1], [5, 3, 3, 1, 1]])('attentionBackward (T = %i, %i heads of %i, causal %i, shaped %i, 2 sequences) matches the twin (1e-6) and float64 central differences of Σ δO ⊙ attention(Q, K, V) (1e-4)', async (tokens, heads, headDim, causal, shaped) => {
    cover('attentionBackward');
    const sequences = 2, rows = sequences * tokens, width = heads * headDim, stride = width + 1, bytes = Math.ceil((rows * stride * 4) / 64) * 64;
    const [q, kk, v, dOut, dq, dk, dv, scratch] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i * bytes);
    const k = await kernelPair(scratch + (2 * tokens + 2 * tokens * headDim) * 8);
    k.wasm.exports.fillNormal(k.base, 4 * bytes / 4, 9, 9, 0, 1);
    k.refMem.f32.set(k.wasmMem.f32.subarray(k.base >> 2, (k.base >> 2) + bytes), k.base >> 2);
    const scale = 0.7 / Math.sqrt(headDim);
    for (const kernel of [k.wasm, k.ref]) kernel.exports.attentionBackward(k.base + q, k.base + kk, k.base + v, k.base + dOut, stride, sequences, tokens, heads, headDim, scale, causal, shaped, k.base + dq, k.base + dk, k.base + dv, k.base + scratch);
    const read = (mem: typeof k.wasmMem, buffer: number) => Array.from({ length: rows }, (_, r) => Array.from(mem.f32.subarray(((k.base + buffer) >> 2) + r * stride, ((k.base + buffer) >> 2) + r * stride + width)));
    for (const buffer of [dq, dk, dv]) read(k.wasmMem, buffer).flat().forEach((value, i) => expect(Math.abs(value - read(k.refMem, buffer).flat()[i])).toBeLessThan(1e-6 * (1 + Math.abs(value))));
    // the loss L = Σ δO ⊙ attention(Q, K, V) in float64, and its gradient by central differences
    const inputs = [q, kk, v, dOut].map((b) => read(k.wasmMem, b));
    const loss = (Q: number[][], K: number[][], V: number[][]) => {
      let total = 0;
      for (let s = 0; s < sequences; s++) for (let h = 0; h < heads; h++) for (let i = 0; i < tokens; i++) {
        const keys = Array.from({ length: causal ? i + 1 : tokens }, (_, j) => j), cols = Array.from({ length: headDim }, (_, c) => h * headDim + c);
        const logits = keys.map((j) => scale * cols.reduce((a, c) => a + Q[s * tokens + i][c] * K[s * tokens + j][c], 0));
        const top = Math.max(...logits), w = logits.map((l) => Math.exp(l - top)), sum = w.reduce((a, b) => a + b, 0);
        // shaped: V_i + Σ_j (p_ij − 1/m_i)·V_j
        for (const c of cols) total += inputs[3][s * tokens + i][c] * ((shaped ? V[s * tokens + i][c] : 0) + keys.reduce((a, j, n) => a + (w[n] / sum - (shaped ? 1 / keys.length : 0)) * V[s * tokens + j][c], 0));
      }
      return total;
    };
    const step = 1e-5;
    [dq, dk, dv].forEach((buffer, which) => {
      const got = read(k.wasmMem, buffer);
      for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) {
        const shifted = (delta: number) => {
          const [Q, K, V] = inputs.slice(0, 3).map((m, i) => (i === which ? m.map((row, rr) => row.map((x, cc) => (rr === r && cc === c ? x + delta : x))) : m));
          return loss(Q, K, V);
        };
        const want = (shifted(step) - shifted(-step)) / (2 * step);
        expect(Math.abs(got[r][c] - want), `${['δQ', 'δK', 'δV'][which]}[${r}][${c}]`).toBeLessThan(1e-4 * (1 + Math.abs(want)));
      }
    });
  });

  it('every function the WASM module exports has a parity test above', async () => {
    const module = await nodeWasmModule('wasm-simd');
    const functions = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    expect(functions.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('the module exports exactly the twin\'s surface (reference/surface.ts), from which KernelExports is derived', async () => {
    const module = await nodeWasmModule('wasm-simd');
    const functions = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
    const twins = Object.keys(await import('../../src/kernel/reference/surface.js'));
    expect([...functions].sort()).toEqual(['heapBase', ...twins].sort());
    expect(Object.keys(createReferenceKernel().exports).sort()).toEqual([...functions].sort());
  });
});
