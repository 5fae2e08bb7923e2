import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/index.js';
import type { LayerRecord } from '../src/metrics/results.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

// The finite-width spread these tolerances come from (measured over 16 seeds at n = 512, B = 512, depth 40,
// and matching to about 10%: see the closing note). Channel j of a block's output has a batch mean
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
      expect(t.x_sq_ch_mean!).toBeCloseTo(l / Math.PI, 12);
      // a batch's channel mean m̂ has E[m̂²] = m² + σ²/B: the theory's channel variance over B is added
      const expected = l / Math.PI + t.x_ch_var! / BATCH;
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
        expect(r.theory!.branch_ch_var!).toBeCloseTo(1 - 1 / Math.PI, 12);
        // a channel variance over B = 512 rows and n = 512 channels: spread √(2/n) of each channel's σw²·V share, 4 of them
        expect(Math.abs(r.branch_ch_var! / (1 - 1 / Math.PI) - 1)).toBeLessThan(4 * spreadUnit);
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

  it('--norm none and no --residual is today\'s network: the measured records are those without the options', () => {
    const args = ['--batch', '128', '--width', '32', '--depth', '4'];
    const strip = (text: string) => JSON.stringify(JSON.parse(text).patterns);
    expect(strip(metrics([...args, '--norm', 'none']))).toBe(strip(metrics(args)));
  }, 30_000);
});

describe('the backward pass of residual blocks at width 512', () => {
  it('He + ReLU, batch norm, α = 1: the stream\'s E[δx²] grows going down by χ = 1 + α²·σw²·S(1)/q = 1 + 1/l per block, within 10% on average', async () => {
    const { patterns: [p] } = await runExperiment({ batch: 512, width: 512, depth: 20, seed: 5, patterns: ['he:relu'], norm: 'batch', residual: 1, backward: true, histLayers: [1], kernel: 'simd' });
    const ratios: number[] = [];
    for (let l = 2; l <= 20; l++) {
      const block = p.layers[l - 1];
      expect(block.grad_chi!).toBeCloseTo(1 + 1 / l, 10);
      ratios.push(p.layers[l - 2].grad_x_ex2! / block.grad_x_ex2! / block.grad_chi!);
    }
    expect(Math.abs(mean(ratios) - 1)).toBeLessThan(0.1);
    // and the chain of theory from the measured last block down
    expect(p.layers[19].theory!.grad_x_ex2).toBe(p.layers[19].grad_x_ex2);
  }, 60_000);
});
