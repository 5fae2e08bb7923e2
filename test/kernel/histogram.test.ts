import { describe, expect, it } from 'vitest';
import { KernelMemory } from '../../src/kernel/kernelMemory.js';
import { HIST_LANES } from '../../src/kernel/layout.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
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
