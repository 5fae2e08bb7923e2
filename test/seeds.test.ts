import { describe, expect, it } from 'vitest';
import { quantile } from '../src/metrics/bands.js';
import { defaultConfig } from '../src/model/config.js';
import { localShards } from '../src/shards/localShards.js';
import { runExperiment } from '../src/experiment/runExperiment.js';
import { loadNodeKernel } from '../src/kernel/wasmFile.js';
import { heReluLogNormRatios } from '../src/theory/finiteWidth.js';

const heRelu = [{ name: 'A) He + ReLU', init: 'he' as const, activation: 'relu' as const }];
const run = (width: number, seeds: number) =>
  runExperiment(defaultConfig({ batch: 256, width, depth: 10, histLayers: [], patterns: heRelu, seeds }), { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });

describe('--seeds', () => {
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

  it('the finite-width law of log10(‖aᴸ‖²/‖x‖²) has the spread of Σ log((2/n)χ²(K)) (its SD ~ √(L·(2.5/n))/ln 10)', () => {
    const draws = heReluLogNormRatios(256, 20, 20000);
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length);
    // Var log R ≈ Var log χ²_K + Var_K(log K) ≈ 4/n + 1/n per layer, for K ≈ n/2
    expect(sd).toBeCloseTo(Math.sqrt((20 * 5) / 256) / Math.LN10, 1);
    // E[R] = 1 but E[log R] < 0: about −L·(5/2n)/ln 10 in log10
    expect(mean).toBeLessThan(0);
  });
});
