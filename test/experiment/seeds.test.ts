import { describe, expect, it } from 'vitest';
import { quantile as d3Quantile } from 'd3';
import { quantile } from '../../src/metrics/bands.js';
import { defaultConfig } from '../../src/model/config.js';
import { localShards } from '../../src/shards/localShards.js';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';

const heRelu = [{ name: 'A) He + ReLU', init: 'he' as const, activation: 'relu' as const }];
const run = (width: number, seeds: number) =>
  runExperiment(defaultConfig({ batch: 256, width, depth: 10, histLayers: [], patterns: heRelu, seeds }), { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });

describe('--seeds', () => {
  it('quantile is bit-identical to d3.quantile (what it replaced) on 2000 random cases, ties, one value and the ends', () => {
    let state = 12345;
    const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let c = 0; c < 2000; c++) {
      const n = 1 + Math.floor(uniform() * 12);
      // a few repeated values and a spread of magnitudes, as seeds' records have
      const values = Array.from({ length: n }, () => (uniform() < 0.2 ? 1 : (uniform() - 0.3) * 10 ** Math.floor(uniform() * 6 - 3)));
      for (const p of [0, 0.1, 0.25, 0.5, 0.9, 1, uniform()]) expect(quantile(values, p)).toBe(d3Quantile(values, p));
    }
    expect(quantile([null, Infinity, NaN], 0.5)).toBeNull();
  });

  it('quantile interpolates between order statistics like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5], 0.1)).toBeCloseTo(1, 12);
    expect(quantile([3, NaN, 1], 0.9)).toBeCloseTo(2.8, 12);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('keeps the first seed as layers, adds every seed and 10–50–90% bands', async () => {
    const [p] = await run(64, 4);
    expect(p.seeds).toHaveLength(4);
    expect(p.seeds![0]).toEqual(p.layers);
    const [single] = await runExperiment(defaultConfig({ batch: 256, width: 64, depth: 10, histLayers: [], patterns: heRelu, seed: 2 }), { openShards: (c) => localShards(c, loadNodeKernel) });
    expect(p.seeds![2]).toEqual(single.layers);
    for (const b of p.bands!) {
      expect(b.a_ex2.p10!).toBeLessThanOrEqual(b.a_ex2.median!);
      expect(b.a_ex2.median!).toBeLessThanOrEqual(b.a_ex2.p90!);
    }
  });

  it('the band at the last layer narrows as the width grows (64 vs 1024): spread ∝ 1/√n', async () => {
    const relative = (p: Awaited<ReturnType<typeof run>>[number]) => {
      const b = p.bands![p.bands!.length - 1].a_ex2;
      return (b.p90! - b.p10!) / b.median!;
    };
    const [narrow] = await run(1024, 8);
    const [wide] = await run(64, 8);
    // √(1024/64) = 4; with 8 seeds the 10–90% range is itself noisy, so ask for a factor 2
    expect(relative(wide)).toBeGreaterThan(2 * relative(narrow));
  }, 120_000);
});
