import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/index.js';
import type { LayerRecord } from '../../src/metrics/results.js';
import { batchNormTerms } from '../../src/theory/finiteBatch.js';
import { expectWellFormedXml } from '../helpers/xml.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

// The finite-width spread these tolerances come from (measured over 16 seeds at n = 512, B = 512, depth 40,
// and matching to about 10%: see the issue's closing note). Channel j of a block's output has a batch mean
// m_j that is a sum over blocks of Σ_k W_jk·ā_k: over the n channels the average of m_j² is σ²·χ²_n/n,
// so the average squared channel mean has a relative spread √(2/n) per seed, which does not average away
// over blocks (each channel's mean is a random walk). It is a share s_l = x_sq_ch_mean/E[x²] of E[x²], so
// E[x²] spreads by s_l·√(2/n) with batch and layer norm, which renormalize every block. nf divides by the
// theory's β instead, so block l's relative error ε feeds the next: 1 + ε_{l+1} = (1 + ε_l)(1 + η_l/(l + 2)),
// which with a persistent η multiplies the spread by at most 1 + ln((l + 2)/2). Without a norm the stream
// grows by (1 + α²(1 + η)) per block and ln E[x²] gathers α²/(1 + α²)·η of every block: at most
// 2·α²/(1 + α²)·Σ_{j ≤ l} s_j·√(2/n). A mean over S seeds is then within 4 such spreads / √S.
const WIDTH = 512, BATCH = 512, SEEDS = 8;
const spreadUnit = Math.sqrt(2 / WIDTH);

const ex2 = (l: LayerRecord) => l.x_sq_ch_mean! + l.x_ch_var!;
const theoryEx2 = (l: LayerRecord) => l.theory!.x_sq_ch_mean! + l.theory!.x_ch_var!;
const share = (l: LayerRecord) => l.theory!.x_sq_ch_mean! / theoryEx2(l);
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

async function blocks(norm: string, residual: number, depth: number, seeds = SEEDS) {
  const { patterns: [p] } = await runExperiment({ batch: BATCH, width: WIDTH, depth, seed: 11, seeds, patterns: ['he:relu'], norm: norm as 'none', residual, histLayers: [1], kernel: 'simd' });
  return p;
}

describe('residual blocks against the residual-stream theory (He + ReLU, width 512)', () => {
  it.each(['batch', 'layer', 'nf'])('α = 1 with %s norm: block l\'s E[x²] = x_ch_var + x_sq_ch_mean follows 1 + l', async (norm) => {
    const depth = 40, p = await blocks(norm, 1, depth);
    for (let l = 1; l <= depth; l++) {
      const records = p.seeds!.map((s) => s[l - 1]), t = records[0];
      expect(theoryEx2(t)).toBeCloseTo(1 + l, 10);
      const growth = norm === 'nf' ? 1 + Math.log((l + 2) / 2) : 1;
      const tolerance = (4 * share(t) * spreadUnit * growth) / Math.sqrt(SEEDS);
      expect(Math.abs(mean(records.map(ex2)) / (1 + l) - 1), `block ${l}`).toBeLessThan(tolerance);
    }
  }, 120_000);

  it('α = 0.5 without a norm: E[x²] grows as (1 + α²)ˡ = 1.25ˡ', async () => {
    const depth = 20, p = await blocks('none', 0.5, depth);
    let shares = 0;
    for (let l = 1; l <= depth; l++) {
      const records = p.seeds!.map((s) => s[l - 1]);
      expect(theoryEx2(records[0]) / 1.25 ** l).toBeCloseTo(1, 10);
      shares += share(records[0]);
      const tolerance = (4 * 2 * (0.25 / 1.25) * shares * spreadUnit) / Math.sqrt(SEEDS);
      expect(Math.abs(mean(records.map((r) => ex2(r) / 1.25 ** l)) - 1), `block ${l}`).toBeLessThan(tolerance);
    }
  }, 120_000);

  it('batch norm + ReLU, α = 1: the average squared channel mean grows by α²·σw²·M(1)² = 1/π per block, and h has channel means 0 and E[h²] = 1', async () => {
    const depth = 40, p = await blocks('batch', 1, depth);
    for (let l = 1; l <= depth; l++) {
      const records = p.seeds!.map((s) => s[l - 1]), t = records[0].theory!;
      // l/π for an infinite batch; a batch of B rows adds the input's 1/B and, per block, σw²·shift/B (finiteBatch.ts)
      expect(t.x_sq_ch_mean!).toBeCloseTo(l / Math.PI + (1 + 2 * l * batchNormTerms('relu').shift) / BATCH, 12);
      const expected = t.x_sq_ch_mean!;
      const tolerance = (4 * spreadUnit) / Math.sqrt(SEEDS);
      expect(Math.abs(mean(records.map((r) => r.x_sq_ch_mean!)) / expected - 1), `block ${l}`).toBeLessThan(tolerance);
      for (const r of records) {
        // per channel (x − μ)/√(σ² + ε): mean 0 to rounding, E[h²] = mean of σ²/(σ² + ε) ≥ 1 − ε/min σ²
        expect(Math.abs(r.z_mean)).toBeLessThan(1e-6);
        expect(r.h_ex2).toBe(r.z_ex2);
        expect(Math.abs(r.z_ex2 - 1)).toBeLessThan(1e-4);
      }
    }
    // the least-squares slope of the seeds' mean through the origin, as the SPP shows it
    const ys = Array.from({ length: depth }, (_, i) => mean(p.seeds!.map((s) => s[i].x_sq_ch_mean!)));
    const slope = ys.reduce((s, y, i) => s + y * (i + 1), 0) / ys.reduce((s, _, i) => s + (i + 1) ** 2, 0);
    expect(Math.abs(slope * Math.PI - 1)).toBeLessThan((4 * spreadUnit) / Math.sqrt(SEEDS));
  }, 120_000);

  it('the branch r = φ(h)·Wᵀ has E[r²] = σw²·V(1) = 1, of which 1/π is channel mean: branch_ch_var = 1 − 1/π with batch norm', async () => {
    const p = await blocks('batch', 1, 10, 4);
    for (const seed of p.seeds!) {
      for (const r of seed) {
        // less the finite batch's σw²·shift/B (finiteBatch.ts; E[φ(ĥ)²] = ½ exactly for ReLU)
        expect(r.theory!.branch_ch_var!).toBeCloseTo(1 - 1 / Math.PI - (2 * batchNormTerms('relu').shift) / BATCH, 12);
        // a channel variance over B = 512 rows and n = 512 channels: spread √(2/n) of each channel's σw²·V share, 4 of them
        expect(Math.abs(r.branch_ch_var! / (1 - 1 / Math.PI) - 1)).toBeLessThan(4 * spreadUnit);
      }
    }
  }, 60_000);
});

describe('a block record describes one tensor, its output x, as a batch of B = 16 rows measures it', () => {
  // The stream statistics are estimators over B rows: per channel the batch mean m̂ and the population variance, so
  // E[m̂²] = μ² + σ²/B with rows independent given W (layer norm), and to leading order in 1/B with batch norm
  // (finiteBatch.ts). At B = 16 the 1/B term is 0.1 of block 1's 0.42 (layer norm): the infinite-batch theory, 0.318,
  // is ~25 standard errors away. Seeds are independent, so a mean over S = 64 of them is within 4 of its own standard
  // errors (estimated from the seeds) of its expectation but for ~1e-4; the O(1/B²) rest of batch norm's term
  // (~6e-4 per block by a Monte Carlo of 2e5 batches) and the O(1/n) non-Gaussianity of z at n = 256 (~1e-3) are
  // added to the tolerance.
  const S = 64;
  it.each(['layer', 'batch'])('residual %s norm, α = 1, width 256: E[x²], x_sq_ch_mean, x_ch_var and branch_ch_var agree with theory', async (norm) => {
    const { patterns: [p] } = await runExperiment({ batch: 16, width: 256, depth: 3, seed: 1, seeds: S, patterns: [`he:relu:${norm}`], residual: 1, histLayers: [1], kernel: 'simd' });
    for (let l = 1; l <= 3; l++) {
      const records = p.seeds!.map((s) => s[l - 1]), t = records[0].theory!;
      for (const r of records) {
        // one tensor: E[x²] of the output is the sum of its squared channel means and channel variances (to rounding)
        expect(Math.abs(r.x_ex2 - (r.x_sq_ch_mean! + r.x_ch_var!))).toBeLessThan(1e-12 * r.x_ex2);
      }
      expect(t.x_ex2).toBeCloseTo(1 + l, 12);
      for (const key of ['x_ex2', 'x_sq_ch_mean', 'x_ch_var', 'branch_ch_var'] as const) {
        const values = records.map((r) => r[key]!), m = mean(values);
        const se = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (S - 1) / S);
        expect(Math.abs(m - (t[key] as number)), `block ${l} ${key}: ${m} ± ${se} against ${t[key]}`).toBeLessThan(4 * se + 6e-4 * l + 1e-3 * (t[key] as number));
      }
    }
  }, 60_000);

  it('plain layer norm, width 256: the channel means z keeps (layer norm does not centre channels) carry into x = φ(h)', async () => {
    // the same tolerance; the old theory (channel means M(1)² = 0.159 + 1/B) is 0.08 below the measurement at block 2
    const { patterns: [p] } = await runExperiment({ batch: 16, width: 256, depth: 3, seed: 1, seeds: S, patterns: ['he:relu:layer'], histLayers: [1], kernel: 'simd' });
    for (let l = 1; l <= 3; l++) {
      const records = p.seeds!.map((s) => s[l - 1]), t = records[0].theory!;
      for (const key of ['x_ex2', 'x_sq_ch_mean', 'x_ch_var'] as const) {
        const values = records.map((r) => r[key]!), m = mean(values);
        const se = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (S - 1) / S);
        expect(Math.abs(m - (t[key] as number)), `block ${l} ${key}: ${m} ± ${se} against ${t[key]}`).toBeLessThan(4 * se + 1e-3 * (t[key] as number));
      }
    }
  }, 60_000);
});

describe('blocks as a user meets them', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const metrics = (args: string[]) => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-blocks-'));
    const r = run([...args, '--out', out, '--format', 'svg', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return readFileSync(join(out, 'metrics.json'), 'utf8');
  };

  it.each([
    ['residual batch norm', ['--residual', '0.7', '--norm', 'batch']],
    ['plain batch norm, a second round trip per layer', ['--norm', 'batch', '--pattern', 'he:relu', '--pattern', 'xavier:tanh:layer', '--pattern', 'lsuv:relu']],
    ['residual with every norm and a bias', ['--residual', '1', '--pattern', 'he:relu:batch', '--pattern', 'he:gelu:nf', '--pattern', 'lsuv:tanh:layer', '--pattern', 'orthogonal:relu', '--bias-std', '0.1']],
  ])('%s: metrics.json is byte-identical for --threads 1, 2 and 3', (_name, extra) => {
    const args = ['--batch', '200', '--width', '40', '--depth', '5', '--hist-layers', '2,5', ...extra];
    const one = metrics([...args, '--threads', '1']);
    expect(metrics([...args, '--threads', '2'])).toBe(one);
    expect(metrics([...args, '--threads', '3'])).toBe(one);
    const parsed = JSON.parse(one);
    for (const p of parsed.patterns) for (const l of p.layers) expect(Number.isFinite(l.x_ch_var) && Number.isFinite(l.x_sq_ch_mean)).toBe(true);
  }, 60_000);

  it('--config reruns a run of blocks byte for byte (patterns with their own norm, --norm, --residual; and a plain run, whose residual is null)', () => {
    for (const args of [['--residual', '0.5', '--pattern', 'he:relu:batch', '--pattern', 'xavier:tanh', '--norm', 'nf'], ['--norm', 'layer']]) {
      const out = mkdtempSync(join(tmpdir(), 'rsc-blocks-config-'));
      const first = metrics([...args, '--batch', '64', '--width', '16', '--depth', '3']);
      writeFileSync(join(out, 'metrics.json'), first);
      expect(metrics(['--config', join(out, 'metrics.json')])).toBe(first);
    }
  }, 30_000);

  it('--norm none and no --residual is today\'s network: the measured records are those without the options', () => {
    const args = ['--batch', '128', '--width', '32', '--depth', '4'];
    const strip = (text: string) => JSON.stringify(JSON.parse(text).patterns);
    expect(strip(metrics([...args, '--norm', 'none']))).toBe(strip(metrics(args)));
  }, 30_000);
});

describe('the backward pass of residual blocks at width 512', () => {
  it('He + ReLU, batch norm, α = 1: the stream\'s E[δx²] grows going down by χ = 1 + α²·σw²·S(1)/v per block, v the block input\'s channel variance, within 3% on average', async () => {
    const { patterns: [p] } = await runExperiment({ batch: 512, width: 512, depth: 20, seed: 5, patterns: ['he:relu'], norm: 'batch', residual: 1, backward: true, histLayers: [1], kernel: 'simd' });
    const ratios: number[] = [];
    for (let l = 2; l <= 20; l++) {
      const block = p.layers[l - 1];
      // batch norm divides by each channel's standard deviation: v = the infinite batch's x_ch_var of block l − 1's output, 1 + (l − 1)·(1 − 1/π)
      expect(block.grad_chi!).toBeCloseTo(1 + 1 / (1 + (l - 1) * (1 - 1 / Math.PI)), 10);
      ratios.push(p.layers[l - 2].grad_x_ex2! / block.grad_x_ex2! / block.grad_chi!);
    }
    expect(Math.abs(mean(ratios) - 1)).toBeLessThan(0.03);
    // and the chain of theory from the measured last block down
    expect(p.layers[19].theory!.grad_x_ex2).toBe(p.layers[19].grad_x_ex2);
  }, 60_000);
});

describe('the backward pass of normalized plain blocks at width 512', () => {
  it('δh shrinks going down by χ = σw²·S(1)/v, v the variance N divided z by (batch: the channel variance σw²·(V(1) − M(1)²); layer and nf: E[z²]), within 3% on average', async () => {
    const { patterns } = await runExperiment({ batch: 1024, width: 512, depth: 10, seed: 2, seeds: 2, patterns: ['he:relu:batch', 'xavier:tanh:layer', 'he:relu:nf'], backward: true, histLayers: [1], kernel: 'simd' });
    // He + ReLU with batch norm: σw² = 2, S(1) = ½, v = 2·(½ − 1/(2π))
    expect(patterns[0].layers[5].grad_chi).toBeCloseTo(1 / (2 * (0.5 - 1 / (2 * Math.PI))), 10);
    expect(patterns[2].layers[5].grad_chi).toBeCloseTo(1, 10);
    for (const p of patterns) {
      const ratios = p.seeds!.flatMap((s) => s.slice(1).map((l, i) => s[i].grad_z_ex2! / l.grad_z_ex2! / l.grad_chi!));
      expect(Math.abs(mean(ratios) - 1), p.name).toBeLessThan(0.03);
    }
  }, 60_000);
});

describe('memory of the blocks', () => {
  it('the memory check counts what the backward pass keeps: every block\'s x (residual) and z before N (normalized plain blocks)', async () => {
    const { parseRunChoices: parseRunOptions } = await import('../../src/run/runChoices.js');
    const { bytesNeeded } = await import('../../src/kernel/memoryPlan.js');
    const { shardShape } = await import('../../src/experiment/shard.js');
    const base = { batch: '8192', width: '2048', depth: '100', threads: '2', residual: '1', norm: 'batch' };
    // forward only it fits; keeping 101 streams of 4096 rows × 2048 × 4 bytes and 100 W per worker does not
    expect(() => parseRunOptions(base, 2)).not.toThrow();
    expect(() => parseRunOptions({ ...base, backward: true }, 2)).toThrow(/--batch 8192 × --width 2048 needs \d+\.\d GiB in one WASM instance \(limit 4 GiB\) with 2 threads: --backward keeps every layer's activations and weights over --depth 100; it fits with --depth \d+ at most, or without --backward, or with --batch \d+ at most/);
    // a normalized plain block keeps z of every layer besides a: more than a residual block's one stream
    const config = (extra: Record<string, unknown>) => parseRunOptions({ batch: '256', width: '64', depth: '10', backward: true, ...extra }, 1).config;
    const rows = 256, plain = bytesNeeded(shardShape(config({}), rows)), normalized = bytesNeeded(shardShape(config({ norm: 'layer' }), rows));
    expect(normalized - plain).toBeGreaterThanOrEqual(10 * rows * 64 * 4);
    const residual = bytesNeeded(shardShape(config({ residual: '1' }), rows));
    // the residual block's own full buffer (φ(N(x)) of every row) and its channel sums
    expect(residual - plain).toBeGreaterThanOrEqual(rows * 64 * 4);
  });
});

describe('sweeps of blocks', () => {
  it('a gain × bias-std sweep of residual batch-norm blocks runs; the points carry no plain-map phase and the sweep no χ₁ = 1 line', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-blocks-sweep-'));
    const r = spawnSync(process.execPath, [CLI, 'sweep', '--gain', '1,2', '--bias-std', '0,0.1', '--residual', '1', '--norm', 'batch', '--pattern', 'he:relu', '--depth', '4', '--batch', '64', '--width', '16', '--out', out, '--quiet', '--format', 'svg'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(sweep.critical).toEqual([]);
    expect(sweep.points).toHaveLength(4);
    for (const p of sweep.points) expect([p.theory.q_star, p.theory.chi1]).toEqual([null, null]);
  }, 30_000);

  it('--residual is sweepable: a 1-D sweep of α draws the output\'s E[x²] and its squared channel mean against α, theory dashed', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-alpha-sweep-'));
    const r = spawnSync(process.execPath, [CLI, 'sweep', '--residual', '0.25:1:4', '--pattern', 'he:relu:batch', '--pattern', 'he:relu', '--depth', '6', '--batch', '64', '--width', '16', '--out', out, '--quiet', '--format', 'svg'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(sweep.axes).toEqual([{ option: 'residual', values: [0.25, 0.5, 0.75, 1] }]);
    // batch norm: E[x²] = 1 + l·α² at the last block, as theory
    for (const p of sweep.points.filter((q: { pattern: string }) => q.pattern.endsWith('batch norm'))) expect(p.last.theory.x_ch_var + p.last.theory.x_sq_ch_mean).toBeCloseTo(1 + 6 * p.residual ** 2, 12);
    const svg = readFileSync(join(out, 'sweep_residual.svg'), 'utf8');
    expectWellFormedXml(svg, 'sweep_residual.svg');
    expect(svg).toContain('E[x²] of the output: x_sq_ch_mean + x_ch_var');
    expect(svg).toContain('x_sq_ch_mean: average squared channel mean');
    expect(svg.match(/class="series theory"/g)).toHaveLength(4);
  }, 30_000);
});
