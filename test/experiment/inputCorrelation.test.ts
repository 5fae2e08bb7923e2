import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/index.js';
import { KernelMemory } from '../../src/kernel/kernelMemory.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';
import { meanPairCosine } from '../../src/metrics/pairCorrelation.js';
import { streamId } from '../../src/model/streams.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/** Mean cosine over all pairs i < j, by brute force in f64 (rows of zero length left out). */
function bruteForcePairCosine(rows: Float64Array[]): number {
  const units = rows.map((r) => Math.hypot(...r)).map((norm, i) => rows[i].map((v) => v / norm)).filter((_, i) => Math.hypot(...rows[i]) > 0);
  let sum = 0, pairs = 0;
  for (let i = 0; i < units.length; i++) {
    for (let j = i + 1; j < units.length; j++) {
      let dot = 0;
      for (let k = 0; k < units[i].length; k++) dot += units[i][k] * units[j][k];
      sum += dot;
      pairs++;
    }
  }
  return sum / pairs;
}

/** ReLU's arc-cosine map for He (σw² = 2, no bias): C(c) = (sin θ + (π − θ) c)/π, θ = arccos c. */
const heReluMap = (c: number) => (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / Math.PI;

describe('correlated inputs and the mean pair cosine', () => {
  it('meanPairCosine over per-block sums equals the brute-force mean over all pairs, whatever the blocks', () => {
    const rows = Array.from({ length: 37 }, (_, i) => Float64Array.from({ length: 11 }, (_, k) => Math.sin(i * 7.1 + k * 1.3) + (k % 3) * 0.4));
    const unitSums = (from: number, to: number) => {
      const s = new Float64Array(11);
      for (let i = from; i < to; i++) {
        const norm = Math.hypot(...rows[i]);
        for (let k = 0; k < 11; k++) s[k] += rows[i][k] / norm;
      }
      return s;
    };
    const want = bruteForcePairCosine(rows);
    expect(Math.abs(meanPairCosine([unitSums(0, 37)], 11, 37, true)! - want)).toBeLessThan(1e-14);
    expect(Math.abs(meanPairCosine([unitSums(0, 5), unitSums(5, 30), unitSums(30, 37)], 11, 37, true)! - want)).toBeLessThan(1e-14);
    expect(meanPairCosine([unitSums(0, 1)], 11, 1, true)).toBeNull();
    expect(meanPairCosine([unitSums(0, 37)], 11, 37, false)).toBeNull();
  });

  it('input_corr and layer 1 z_corr / a_corr equal the brute-force mean over all pairs of the very rows the run drew (B = 150, 3 threads)', async () => {
    const batch = 150, width = 24, c0 = 0.4, seed = 3;
    const run = await runExperiment({ batch, width, depth: 1, seed, patterns: ['xavier:relu'], inputCorr: c0, threads: 3, kernel: 'simd' });
    // the same draws, from the same kernel: x rows of stream (0, 0), g of the shared stream, W of stream (0, 1)
    const kernel = await loadNodeKernel('wasm-simd');
    const mem = new KernelMemory(kernel.memory), base = Math.ceil(kernel.exports.heapBase() / 64) * 64;
    mem.ensure(base + (batch * width + width + width * width) * 4);
    const xPtr = base, gPtr = base + batch * width * 4, wPtr = gPtr + width * 4;
    kernel.exports.fillNormal(xPtr, batch * width, seed, streamId(0, 0), 0, 1);
    kernel.exports.fillNormal(gPtr, width, seed, streamId(0, 0, 'sharedInput'), 0, 1);
    kernel.exports.mixSharedRow(xPtr, width, batch, width, gPtr, Math.sqrt(c0), Math.sqrt(1 - c0));
    kernel.exports.fillNormal(wPtr, width * width, seed, streamId(0, 1), 0, 1 / Math.sqrt(width));
    const f32 = mem.f32;
    const x = Array.from({ length: batch }, (_, r) => Float64Array.from(f32.subarray((xPtr >> 2) + r * width, (xPtr >> 2) + (r + 1) * width)));
    const w = Array.from({ length: width }, (_, o) => Float64Array.from(f32.subarray((wPtr >> 2) + o * width, (wPtr >> 2) + (o + 1) * width)));
    const z = x.map((row) => Float64Array.from(w, (wo) => wo.reduce((s, v, k) => s + v * row[k], 0)));
    const a = z.map((row) => row.map((v) => Math.max(0, v)));
    const p = run.patterns[0];
    // x is exactly what the run drew: only the summation order differs (1e-13)
    expect(Math.abs(p.input_corr! - bruteForcePairCosine(x))).toBeLessThan(1e-13);
    // z: float32 GEMM against f64 (relative 1e-6 per value)
    expect(Math.abs(p.layers[0].z_corr! - bruteForcePairCosine(z))).toBeLessThan(1e-5);
    expect(Math.abs(p.layers[0].a_corr! - bruteForcePairCosine(a))).toBeLessThan(1e-5);
  });

  it('--input-corr 1 makes every row the same vector (z_corr = a_corr = 1 to 1e-12); 0 leaves x as it was drawn', async () => {
    const one = await runExperiment({ batch: 64, width: 32, depth: 3, patterns: ['he:tanh'], inputCorr: 1, threads: 1 });
    for (const l of one.patterns[0].layers) (expect(Math.abs(l.z_corr! - 1)).toBeLessThan(1e-12), expect(Math.abs(l.a_corr! - 1)).toBeLessThan(1e-12));
    const zero = await runExperiment({ batch: 64, width: 32, depth: 3, patterns: ['he:tanh'], inputCorr: 0, threads: 1 });
    const none = await runExperiment({ batch: 64, width: 32, depth: 3, patterns: ['he:tanh'], threads: 1 });
    expect(zero.metricsJson).toBe(none.metricsJson);
  });

  // Finite-width error of z_corr at layer 2 (one draw of g, W¹, W²). With B ≫ 1 the batch averages
  // each layer's independent parts away, and what is left is one quadratic form per layer: the shared
  // direction's length |g|²/n, then v·(σw²WᵀW/n)·v/|v|² for layer l's mean row v, each 1 + ε with
  // Var ε = 2/n (χ²_n / n). A relative change ε of the shared part's share moves c by c(1 − c)·ε, so
  //   c¹ = c₀ + c₀(1 − c₀)(ε_g + ε₁),   c² = C(c¹) + C(c¹)(1 − C(c¹))·ε₂,
  //   Var c² ≈ (2/n)·[2·C′(c₀)²·c₀²(1 − c₀)² + C(c₀)²(1 − C(c₀))²].
  // For c₀ = 0.3: C = 0.4828, C′ = (π − θ)/π = 0.597, so sd = 0.433/√n (measured over 64 seeds at
  // batch 512: 0.0295 at n = 256 against 0.027 predicted, 0.0147 at n = 1024 against 0.0135).
  it('ReLU, He, --input-corr 0.3: z_corr at layer 2 equals the arc-cosine map of 0.3 within 4 standard errors of the finite-width spread', async () => {
    const width = 1024, seeds = 16, c0 = 0.3;
    const sd = 0.433 / Math.sqrt(width), tolerance = (4 * sd) / Math.sqrt(seeds);
    const run = await runExperiment({ batch: 512, width, depth: 2, patterns: ['he:relu'], inputCorr: c0, seeds });
    const p = run.patterns[0];
    const layer2 = p.seeds!.map((layers) => layers[1].z_corr!);
    const mean = layer2.reduce((s, v) => s + v, 0) / seeds;
    expect(p.layers[1].theory!.c).toBeCloseTo(heReluMap(c0), 14);
    expect(Math.abs(mean - heReluMap(c0))).toBeLessThan(tolerance);
    // the test can fail: the map of a different φ (identity keeps 0.3) is 0.18 away, 26 tolerances
    expect(Math.abs(mean - c0)).toBeGreaterThan(10 * tolerance);
    // and the seeds' spread is the one derived above (within a factor 1.5 either way)
    const spread = Math.sqrt(layer2.reduce((s, v) => s + (v - mean) ** 2, 0) / (seeds - 1));
    expect(spread).toBeGreaterThan(sd / 1.5);
    expect(spread).toBeLessThan(sd * 1.5);
  }, 60_000);

  it('metrics.json with --input-corr is byte-identical for --threads 1, 2 and 3', () => {
    const texts = [1, 2, 3].map((threads) => {
      const out = mkdtempSync(join(tmpdir(), 'rsc-corr-'));
      const r = spawnSync(process.execPath, [CLI, '--batch', '333', '--width', '40', '--depth', '4', '--input-corr', '0.6', '--pattern', 'he:relu', '--pattern', 'xavier:tanh', '--threads', String(threads), '--out', out, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(join(out, 'metrics.json'), 'utf8');
    });
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    expect(JSON.parse(texts[0]).patterns[0].layers[3].z_corr).toBeGreaterThan(0.6);
  });
});

describe('input_corr per seed', () => {
  it('--seeds 3: input_corr_seeds holds each seed\'s own input correlation, the first being input_corr', async () => {
    const { patterns: [p] } = await runExperiment({ batch: 64, width: 16, depth: 2, seed: 3, seeds: 3, inputCorr: 0.4, patterns: ['he:relu'], histLayers: [1] });
    expect(p.input_corr_seeds).toHaveLength(3);
    expect(p.input_corr_seeds![0]).toBe(p.input_corr);
    // each seed draws its own x: three distinct values, each near c₀ = 0.4
    expect(new Set(p.input_corr_seeds).size).toBe(3);
    for (const c of p.input_corr_seeds!) expect(Math.abs(c! - 0.4)).toBeLessThan(0.2);
    const single = await runExperiment({ batch: 64, width: 16, depth: 2, seed: 4, inputCorr: 0.4, patterns: ['he:relu'], histLayers: [1] });
    expect(single.patterns[0].input_corr).toBe(p.input_corr_seeds![1]);
  });
});
