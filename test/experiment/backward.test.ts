import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.js';
import { weightStd } from '../../src/model/inits.js';
import { localShards } from '../../src/shards/localShards.js';
import type { PatternSpec } from '../../src/model/patterns.js';
import type { PatternResult } from '../../src/metrics/results.js';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { streamId } from '../../src/model/streams.js';
import { draw } from '../helpers/draws.js';
import { erf } from '../../src/theory/erf.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');


// φ and φ′ in float64, written out here (GELU: Φ from the theory's erf, accurate to 1e-15)
const Phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const phi = { relu: (z: number) => Math.max(z, 0), tanh: Math.tanh, gelu: (z: number) => z * Phi(z), silu: (z: number) => z * logistic(z) } as const;
const dphi = {
  relu: (z: number) => (z > 0 ? 1 : 0),
  tanh: (z: number) => 1 - Math.tanh(z) ** 2,
  gelu: (z: number) => Phi(z) + (z * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI),
  silu: (z: number) => logistic(z) * (1 + z * (1 - logistic(z))),
} as const;

/** The backward pass written out by hand in float64, for any widths n0, n1, …, nL. */
function handWritten(p: PatternSpec & { activation: keyof typeof phi }, index: number, B: number, widths: number[]) {
  const L = widths.length - 1;
  const mm = (A: number[], rows: number, k: number, W: number[], out: number) => Array.from({ length: rows * out }, (_, i) => {
    const r = Math.floor(i / out), j = i % out;
    let s = 0;
    for (let t = 0; t < k; t++) s += A[r * k + t] * W[j * k + t];
    return s;
  });
  const a: number[][] = [draw(streamId(index, 0), B * widths[0])], z: number[][] = [[]], W: number[][] = [[]];
  for (let l = 1; l <= L; l++) {
    W[l] = draw(streamId(index, l), widths[l] * widths[l - 1], weightStd(p.init, widths[l - 1], widths[l], 1, 'in'));
    z[l] = mm(a[l - 1], B, widths[l - 1], W[l], widths[l]);
    a[l] = z[l].map(phi[p.activation]);
  }
  const ms = (v: number[]) => v.reduce((s, u) => s + u * u, 0) / v.length;
  const records: { grad_a_ex2: number; grad_z_ex2: number; grad_w_ex2: number }[] = [];
  let da = draw(streamId(index, 0, 'gradient'), B * widths[L]);
  for (let l = L; l >= 1; l--) {
    const nOut = widths[l], nIn = widths[l - 1];
    const dz = da.map((v, i) => v * dphi[p.activation](z[l][i]));
    let gSq = 0;
    for (let j = 0; j < nOut; j++) for (let k = 0; k < nIn; k++) {
      let g = 0;
      for (let b = 0; b < B; b++) g += dz[b * nOut + j] * a[l - 1][b * nIn + k];
      gSq += (g / B) ** 2;
    }
    records[l - 1] = { grad_a_ex2: ms(da), grad_z_ex2: ms(dz), grad_w_ex2: gSq / (nOut * nIn) };
    da = Array.from({ length: B * nIn }, (_, i) => {
      const r = Math.floor(i / nIn), k = i % nIn;
      let s = 0;
      for (let j = 0; j < nOut; j++) s += dz[r * nOut + j] * W[l][j * nIn + k];
      return s;
    });
  }
  return records;
}

/** Over every seed and step down: the mean measured E[δz²] ratio of the layer below to the layer, and the mean χ predicted for it. */
function meanStepRatios(p: PatternResult): { measured: number; predicted: number } {
  const measured: number[] = [], predicted: number[] = [];
  for (const layers of p.seeds!) {
    for (let l = 1; l < layers.length; l++) {
      measured.push(layers[l - 1].grad_z_ex2! / layers[l].grad_z_ex2!);
      predicted.push(layers[l].grad_chi!);
    }
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return { measured: mean(measured), predicted: mean(predicted) };
}

describe('--backward', () => {
  // GELU and SiLU keep z (a does not determine it); with a histogram layer z is also written to the
  // histogram buffer first, so both paths run
  it.each([{ histLayers: [] }, { histLayers: [1, 2] }])('equals a hand-written float64 backward pass on a tiny net (batch 5, widths 7, 6, 5; ReLU, tanh, GELU, SiLU; hist layers $histLayers)', async ({ histLayers }) => {
    const patterns = [
      { name: 'A) He + ReLU', init: 'he', activation: 'relu' },
      { name: 'B) Xavier + tanh', init: 'xavier', activation: 'tanh' },
      { name: 'C) He + GELU', init: 'he', activation: 'gelu' },
      { name: 'D) Xavier + SiLU', init: 'xavier', activation: 'silu' },
    ] as const;
    const config = defaultConfig({ batch: 5, widths: [7, 6, 5], histLayers, patterns, backward: true });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd')), createKernel: () => loadNodeKernel('wasm-simd') });
    results.forEach((r, i) => {
      const expected = handWritten(patterns[i], i, 5, [7, 6, 5]);
      for (const l of [0, 1]) {
        for (const key of ['grad_a_ex2', 'grad_z_ex2', 'grad_w_ex2'] as const) {
          expect(Math.abs(r.layers[l][key]! / expected[l][key] - 1), `${r.name} layer ${l + 1} ${key}`).toBeLessThan(1e-4);
        }
      }
    });
  });

  // Layers of different sizes: each layer's kept W has its own slot. (Slots sized by the layer's own
  // n_out·n_in once overlapped when a later layer was smaller, here layer 3's over layer 2's.)
  it('equals the hand-written backward pass through layers of different widths (8, 64, 16, 32), where the kept weights of one layer must not overwrite another\'s', async () => {
    const widths = [8, 64, 16, 32], patterns = [{ name: 'A) He + tanh', init: 'he', activation: 'tanh' }, { name: 'B) He + SiLU', init: 'he', activation: 'silu' }] as const;
    const config = defaultConfig({ batch: 6, widths, histLayers: [], patterns, backward: true });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2), createKernel: () => loadNodeKernel('wasm-simd') });
    results.forEach((r, i) => {
      const expected = handWritten(patterns[i], i, 6, widths);
      for (let l = 0; l < 3; l++) {
        for (const key of ['grad_a_ex2', 'grad_z_ex2', 'grad_w_ex2'] as const) {
          expect(Math.abs(r.layers[l][key]! / expected[l][key] - 1), `${r.name} layer ${l + 1} ${key}`).toBeLessThan(1e-4);
        }
      }
    });
  });

  it('at width 512 the gradient shrinks per layer going down by σw²·E[φ′²] within 10% (A: 1, B: ½, C: 1)', async () => {
    const [a, b, c] = await runExperiment(defaultConfig({ batch: 1024, width: 512, depth: 10, histLayers: [], backward: true }), {
      openShards: (cfg) => localShards(cfg, () => loadNodeKernel('wasm-simd'), 2),
      createKernel: () => loadNodeKernel('wasm-simd'),
    });
    for (const [p, chi] of [[a, 1], [b, 0.5], [c, 1]] as const) {
      const ratios = p.layers.slice(1).map((l, i) => p.layers[i].grad_z_ex2! / l.grad_z_ex2!);
      const mean = ratios.reduce((s, v) => s + v, 0) / ratios.length;
      expect(Math.abs(mean / chi - 1), p.name).toBeLessThan(0.1);
      expect(p.layers[5].grad_chi).toBeCloseTo(chi, 9);
    }
  }, 120_000);

  // Over 16 seeds × 9 steps the measured per-step ratio's mean has SE ≈ 0.5% at width 256 (spread
  // ≈ 6% per step), so 3% separates a right χ from the old one, which ignored σb² (1/(1 − σb²) = +10%).
  it('LSUV: grad_chi comes from the fitted weight variance and matches the measured step ratio within 3% (tanh with σb = 0.3; ReLU)', async () => {
    for (const [activation, biasStd] of [['tanh', 0.3], ['relu', 0]] as const) {
      const config = defaultConfig({ batch: 512, width: 256, depth: 10, histLayers: [], backward: true, seeds: 16, biasStd, patterns: [{ name: 'L', init: 'lsuv', activation }] });
      const [p] = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2), createKernel: () => loadNodeKernel('wasm-simd') });
      const { measured, predicted } = meanStepRatios(p);
      expect(Math.abs(predicted / measured - 1), `${activation}: χ ${predicted} vs measured ${measured}`).toBeLessThan(0.03);
    }
  }, 240_000);

  it('LSUV: grad_chi is null above a dead layer (batch 1, a width-1 ReLU layer whose only z is negative)', async () => {
    const config = defaultConfig({ batch: 1, widths: [4, 1, 4, 4], seed: 2, histLayers: [], backward: true, patterns: [{ name: 'L', init: 'lsuv', activation: 'relu' }] });
    const [p] = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd')), createKernel: () => loadNodeKernel('wasm-simd') });
    expect(p.layers.map((l) => l.a_ex2)).toEqual([0, 0, 0]);
    expect(p.layers[1].z_ex2).toBe(0);
    expect(p.layers[2].grad_chi).toBeNull();
    for (const l of p.layers.slice(1)) expect(l.grad_chi === null || (Number.isFinite(l.grad_chi) && l.grad_chi! < 10)).toBe(true);
  });

  it.each([[[]], [['--pattern', 'he:gelu', '--pattern', 'xavier:silu', '--pattern', 'lsuv:gelu']]])('is byte-identical for --threads 1 and 3 (patterns %j)', (patterns) => {
    const texts = [1, 3].map((t) => {
      const out = mkdtempSync(join(tmpdir(), 'rsc-bw-'));
      const r = spawnSync(process.execPath, [CLI, '--batch', '200', '--width', '40', '--depth', '4', '--backward', ...patterns, '--threads', String(t), '--out', out, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(join(out, 'metrics.json'), 'utf8');
    });
    expect(texts[1]).toBe(texts[0]);
    for (const p of JSON.parse(texts[0]).patterns) expect(p.layers[0].grad_w_ex2).toBeGreaterThan(0);
  });

  // 8 seeds × 9 steps at width 256: the mean measured step ratio has SE ≈ 0.7% (≈ 6% per step), so
  // 3% is over 4 SE. It checks χ = σw²·S(q) with S = E[φ′²] of the theory at the length map's q, for
  // the two activations whose φ′ the backward pass takes from the kept z.
  it('GELU and SiLU: grad_chi = σw²·E[φ′²] matches the measured step ratio within 3% (He + GELU, Xavier + SiLU)', async () => {
    const patterns = [{ name: 'G', init: 'he', activation: 'gelu' }, { name: 'S', init: 'xavier', activation: 'silu' }] as const;
    const config = defaultConfig({ batch: 512, width: 256, depth: 10, histLayers: [], backward: true, seeds: 8, patterns });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2), createKernel: () => loadNodeKernel('wasm-simd') });
    for (const p of results) {
      const { measured, predicted } = meanStepRatios(p);
      expect(Math.abs(predicted / measured - 1), `${p.name}: χ ${predicted} vs measured ${measured}`).toBeLessThan(0.03);
    }
  }, 240_000);
});
