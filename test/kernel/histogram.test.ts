import { describe, expect, it } from 'vitest';
import { KernelMemory } from '../../src/kernel/kernelMemory.js';
import { HIST_LANES } from '../../src/kernel/layout.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { loadNodeKernel, nodeHasRelaxedSimd } from '../../src/kernel/wasmFile.js';
import { binOf, countInBins, histogramEdges, histogramOfValues } from '../../src/metrics/histogram.js';

describe('the one binning rule', () => {
  it('countInBins counts as the kernel histogram does, values on the edges included', () => {
    const bins = 7, edges = histogramEdges(-1.3, 2.9, bins);
    // f32 values, as the kernel sees them: random ones and every edge itself (rounded to f32 and back)
    const values = Float32Array.from([...Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 2.2 + 0.8), ...edges]);
    const k = createReferenceKernel(), mem = new KernelMemory(k.memory);
    const at = 1024, edgesAt = at + values.length * 4 + 64, countsAt = edgesAt + (bins + 1) * 8 + 64;
    mem.ensure(countsAt + HIST_LANES * bins * 4);
    mem.f32.set(values, at >> 2);
    mem.setF64(edgesAt, edges);
    mem.fillU32(countsAt, bins, 0);
    k.exports.histogram(at, values.length, 1, values.length, 0, 0, edgesAt, bins, countsAt);
    expect(countInBins(edges, values)).toEqual(Array.from(mem.u32Slice(countsAt, bins)));
  });

  it('binOf: bin i holds [edge i, edge i+1), the last bin also its upper edge, nothing outside', () => {
    const edges = histogramEdges(0, 1, 4);
    expect([0, 0.25, 0.2499999, 0.5, 0.75, 1].map((v) => binOf(edges, v))).toEqual([0, 1, 0, 2, 3, 3]);
    expect([-0.01, 1.01, NaN].map((v) => binOf(edges, v))).toEqual([-1, -1, -1]);
  });

  it('histogramOfValues bins the finite values over their own range and counts every one', () => {
    const h = histogramOfValues([3, 1, 2, Infinity, NaN, 2.5], 4);
    expect(h.edges).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(h.counts).toEqual([1, 0, 1, 2]);
  });
});

// The kernel skips the edge checks for a value whose arithmetic guess sits well inside a bin
// (assembly/stats.ts, FAST_MARGIN), and only when the edges are where the arithmetic puts them. Values on
// every edge, one f32 step either side of it, lo and hi themselves, runs of lo (ReLU's zeros), NaN and
// values outside, over regular edges and over ones too irregular for the shortcut (a range narrow against
// its magnitude, and an edge moved off its place), must count exactly as the host's rule does.
describe('the kernel histogram next to its edges', () => {
  const f32 = (v: number) => Math.fround(v);
  function stepF32(v: number, dir: 1 | -1): number {
    const b = new Float32Array([v]), u = new Uint32Array(b.buffer);
    if (v === 0) return dir * 1.4e-45;
    u[0] += (v > 0) === (dir > 0) ? 1 : -1;
    return b[0];
  }
  function valuesAround(edges: Float64Array): Float32Array {
    const lo = edges[0], hi = edges[edges.length - 1], out: number[] = [];
    for (const e of edges) for (const v of [f32(e), stepF32(f32(e), 1), stepF32(f32(e), -1), stepF32(stepF32(f32(e), 1), 1)]) out.push(v);
    for (let i = 0; i < 4001; i++) out.push(lo + ((hi - lo) * ((i * 0.6180339887) % 1)));
    for (let i = 0; i < 64; i++) out.push(lo); // runs of lo, in every counting lane
    out.push(NaN, lo - (hi - lo), hi + (hi - lo), Infinity, -Infinity);
    return Float32Array.from(out);
  }
  // equal-width edges with one moved by 0.3 of a bin: still within the checks' one-bin correction, but not
  // where the arithmetic puts it, so no value may skip the checks
  const nudged = histogramEdges(-1, 2, 6);
  nudged[3] += 0.3 * 0.5;
  const cases: [string, Float64Array][] = [
    ['7 bins over [-1.3, 2.9]', histogramEdges(f32(-1.3), f32(2.9), 7)],
    ['60 bins over [0, 4.7] (a ReLU\'s a)', histogramEdges(0, f32(4.7), 60)],
    ['4096 bins over [-5.1, 5.3]', histogramEdges(f32(-5.1), f32(5.3), 4096)],
    ['1 bin', histogramEdges(f32(-0.5), f32(0.75), 1)],
    // edges 2, 3 and 4 here are f32 values whose guess (e − lo)·bins/(hi − lo) rounds to just below the bin
    ['6 bins whose edges\' guesses round below them', histogramEdges(-0.43554598093032837, 0.18708078563213348, 6)],
    ['60 bins over a narrow range at 1000', histogramEdges(1000, stepF32(stepF32(stepF32(1000, 1), 1), 1), 60)],
    ['an edge moved by 0.3 of a bin', nudged],
  ];
  for (const build of ['wasm-simd', 'wasm-relaxed-simd'] as const) {
    it.each(cases)(`${build}: %s`, async (_, edges) => {
      if (build === 'wasm-relaxed-simd' && !nodeHasRelaxedSimd()) return;
      const k = await loadNodeKernel(build), mem = new KernelMemory(k.memory), bins = edges.length - 1;
      const values = valuesAround(edges);
      // odd row lengths put values in the 4-wide body and the scalar tail alike
      const cols = 37, rows = Math.ceil(values.length / cols), stride = 41;
      const at = Math.ceil(k.exports.heapBase() / 64) * 64, edgesAt = Math.ceil((at + rows * stride * 4) / 64) * 64 + 64, countsAt = edgesAt + (bins + 1) * 8 + 64;
      mem.ensure(countsAt + HIST_LANES * bins * 4 + 64);
      const laid = new Float32Array(rows * stride).fill(NaN);
      values.forEach((v, i) => (laid[Math.floor(i / cols) * stride + (i % cols)] = v));
      mem.f32.set(laid, at >> 2);
      mem.setF64(edgesAt, edges);
      mem.fillU32(countsAt, bins, 0);
      k.exports.histogram(at, stride, rows, cols, 0, 0, edgesAt, bins, countsAt);
      const counted = Array.from(mem.u32Slice(countsAt, bins));
      expect(counted).toEqual(countInBins(edges, values));
      // every value on an edge or a step away is in the bin the edges say
      expect(counted.reduce((s, c) => s + c, 0)).toBe(Array.from(values).filter((v) => v >= edges[0] && v <= edges[bins]).length);
    });
  }
});
