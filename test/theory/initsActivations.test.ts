import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import { heSlope, INIT_NAMES, sigmaW2, weightStd } from '../../src/model/inits.js';
import { localShards } from '../../src/shards/localShards.js';
import { ACTIVATION_NAMES } from '../../src/theory/activations.js';
import { patternName, type PatternSpec } from '../../src/model/patterns.js';
import type { PatternResult } from '../../src/metrics/results.js';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';
import { moments } from '../../src/theory/moments.js';

// width 512, batch 2048: E[z²] of a layer averages 512 units whose ‖w‖² each vary by √(2/512) ≈ 6%,
// so its relative SE is ≈ 0.3%: the 3% and 2% tolerances are ~10 SE.
const WIDTH = 512, BATCH = 2048;
const run = (patterns: PatternSpec[], depth: number) =>
  runExperiment(defaultConfig({ batch: BATCH, width: WIDTH, depth, histLayers: [], patterns }), { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });

describe('every init × activation at width 512', () => {
  let results: PatternResult[];
  const all: PatternSpec[] = INIT_NAMES.flatMap((init) => ACTIVATION_NAMES.map((activation) => ({ init, activation, name: '' })));
  all.forEach((p, i) => (p.name = patternName(i, p.init, p.activation)));

  beforeAll(async () => {
    results = await run(all, 2);
  }, 300_000);

  it('layer 1: E[z²] = σw² within 3% and E[a²] = V(E[z²]) within 2%', () => {
    expect(results).toHaveLength(INIT_NAMES.length * ACTIVATION_NAMES.length);
    for (const p of results) {
      const l = p.layers[0];
      expect(Math.abs(l.z_ex2 / l.theory!.z_ex2 - 1), `${p.name} z`).toBeLessThan(0.03);
      const v = moments(p.activation, 0.01).V(l.z_ex2);
      expect(Math.abs(l.a_ex2 / v - 1), `${p.name} a`).toBeLessThan(0.02);
    }
  });

  it('LSUV reaches Var(z) = 1 ± 0.01 at every layer within 10 passes', () => {
    for (const p of results.filter((r) => r.init === 'lsuv')) {
      for (const l of p.layers) {
        expect(Math.abs(l.z_var - 1), p.name).toBeLessThanOrEqual(0.01);
        expect(l.lsuv_passes).toBeGreaterThanOrEqual(0);
        expect(l.lsuv_passes).toBeLessThanOrEqual(10);
      }
    }
    // an orthogonal start gives ReLU's layer 1 Var(z) = 1 but its layer 2 Var(z) ≈ ½: rescaled
    expect(results.find((r) => r.init === 'lsuv' && r.activation === 'relu')!.layers[1].lsuv_passes).toBeGreaterThanOrEqual(1);
  });
});

describe('deep tanh and SELU follow the length map', () => {
  it('within 5% at every one of 12 layers', async () => {
    const patterns: PatternSpec[] = [
      { name: 'A) Glorot + tanh', init: 'glorot', activation: 'tanh' },
      { name: 'B) LeCun + SELU', init: 'lecun', activation: 'selu' },
    ];
    for (const p of await run(patterns, 12)) {
      for (const l of p.layers) expect(Math.abs(l.z_ex2 / l.theory!.z_ex2 - 1), `${p.name} layer ${l.layer}`).toBeLessThan(0.05);
    }
  }, 120_000);
});

describe('He initialization for leaky ReLU', () => {
  it("follows PyTorch's kaiming_normal_(a=α): σw² = 2/(1+α²), so He + leaky ReLU keeps E[a²] like He + ReLU", async () => {
    expect(sigmaW2('he', 100, 100, 1, 'in', heSlope('leaky_relu', 0.5))).toBeCloseTo(2 / 1.25, 15);
    expect(weightStd('he', 100, 50, 1, 'out', heSlope('leaky_relu', 0.5)) ** 2).toBeCloseTo(2 / (1.25 * 50), 15);
    expect(heSlope('relu', 0.5)).toBe(0);
    // the length map at α = 0.5: q stays at σw²·(1+α²)/2 = 1 layer after layer
    const config = defaultConfig({ batch: 2048, width: 512, depth: 8, histLayers: [], leakyAlpha: 0.5, patterns: [{ name: 'A) He + leaky ReLU', init: 'he', activation: 'leaky_relu' }] });
    const [p] = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });
    for (const l of p.layers) expect(l.theory!.a_ex2).toBeCloseTo(1, 12);
    // measured: the mean step ratio E[z²]ₗ/E[z²]ₗ₋₁ over 7 steps is 1 (old σw² = 2 gave 1 + α² = 1.25); one
    // step at width 512 fluctuates by ≈ √(2/512)·… ≈ 7%, so the mean's SE is ≈ 2.6% and 0.1 is ~4 SE
    const steps = p.layers.slice(1).map((l, i) => l.z_ex2 / p.layers[i].z_ex2);
    expect(Math.abs(steps.reduce((s, v) => s + v, 0) / steps.length - 1)).toBeLessThan(0.1);
  });
});
