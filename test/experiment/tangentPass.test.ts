// The tangent pass (--spectrum): the input–output Jacobian pushed through the forward pass as tangents.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';
import { defaultConfig, type ExperimentConfig } from '../../src/model/config.js';
import { heSlope, resolvedGain, weightStd } from '../../src/model/inits.js';
import { parsePattern } from '../../src/model/patterns.js';
import { streamId } from '../../src/model/streams.js';
import { localShards } from '../../src/shards/localShards.js';
import { ACTIVATIONS } from '../../src/theory/activations.js';
import { draw } from '../helpers/draws.js';
import { blockTheory } from '../../src/predictions/patternTheory.js';
import { expectWellFormedXml } from '../helpers/xml.js';
import { figureSet } from '../../src/figures/figureSet.js';
import { jsdomDocument } from '../../src/figures/jsdomDocument.js';
import { serializeSvg } from '../../src/figures/serializeSvg.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const patterns = (...texts: string[]) => texts.map((t, i) => parsePattern(t, i) as Exclude<ReturnType<typeof parsePattern>, string>);

/**
 * ‖J‖²_F/n₀ at every layer for the batch's first `inputs` rows, in float64 from the same draws (the
 * pure-TS RNG's W, bias and x): J = D_l W_l ⋯ D_1 W_1 formed as explicit matrices, D = diag φ′(z) with
 * z computed in float64 too. Independent of the kernel, the shards and the tangent pass's code.
 */
function referenceJacobian(config: ExperimentConfig, patternIndex: number, inputs: number): number[] {
  const widths = config.widths!, pattern = config.patterns[patternIndex], row = ACTIVATIONS[pattern.activation];
  const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
  const n0 = widths[0], xs = draw(streamId(patternIndex, 0), inputs * n0);
  const means = new Array(config.depth).fill(0);
  for (let i = 0; i < inputs; i++) {
    let x = xs.slice(i * n0, (i + 1) * n0);
    let J: number[][] = Array.from({ length: n0 }, (_, r) => Array.from({ length: n0 }, (_, c) => (r === c ? 1 : 0)));
    for (let l = 1; l <= config.depth; l++) {
      const nIn = widths[l - 1], nOut = widths[l];
      const w = draw(streamId(patternIndex, l), nOut * nIn, weightStd(pattern.init, nIn, nOut, gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)));
      const b = config.biasStd > 0 ? draw(streamId(patternIndex, l, 'bias'), nOut, config.biasStd) : new Array(nOut).fill(0);
      const z = Array.from({ length: nOut }, (_, j) => b[j] + x.reduce((t, v, k) => t + w[j * nIn + k] * v, 0));
      J = Array.from({ length: nOut }, (_, j) => Array.from({ length: n0 }, (_, c) => row.phiPrime(z[j], config.leakyAlpha) * J.reduce((t, Jk, k) => t + w[j * nIn + k] * Jk[c], 0)));
      x = z.map((v) => row.phi(v, config.leakyAlpha));
      means[l - 1] += J.reduce((t, r) => t + r.reduce((u, v) => u + v * v, 0), 0) / n0 / inputs;
    }
  }
  return means;
}

/**
 * The same for normalized plain blocks, from a float64 forward pass of the whole batch (batch norm's
 * channel statistics are the batch's): J ← D·N′·W·J with N′ the norm's Jacobian at the input's z, the
 * batch statistics held fixed (batch norm and nf: a per-channel scale; layer norm: s·(t − mean t − h·mean(h⊙t))).
 */
function referenceNormalizedJacobian(config: ExperimentConfig, patternIndex: number, inputs: number): number[] {
  const widths = config.widths!, pattern = config.patterns[patternIndex], row = ACTIVATIONS[pattern.activation];
  const norm = pattern.norm ?? config.norm, eps = 1e-5, B = config.batch;
  const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
  const betas = norm === 'nf' ? blockTheory(config, pattern).map((b) => Math.sqrt(b.norm_input_ex2)) : [];
  const n0 = widths[0], draws = draw(streamId(patternIndex, 0), B * n0);
  let xs = Array.from({ length: B }, (_, r) => draws.slice(r * n0, (r + 1) * n0));
  let J: number[][][] = Array.from({ length: inputs }, () => Array.from({ length: n0 }, (_, r) => Array.from({ length: n0 }, (_, c) => (r === c ? 1 : 0))));
  const means = new Array(config.depth).fill(0);
  for (let l = 1; l <= config.depth; l++) {
    const nIn = widths[l - 1], nOut = widths[l];
    const w = draw(streamId(patternIndex, l), nOut * nIn, weightStd(pattern.init, nIn, nOut, gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)));
    const b = config.biasStd > 0 ? draw(streamId(patternIndex, l, 'bias'), nOut, config.biasStd) : new Array(nOut).fill(0);
    const zs = xs.map((x) => Array.from({ length: nOut }, (_, j) => b[j] + x.reduce((t, v, k) => t + w[j * nIn + k] * v, 0)));
    const mu = Array.from({ length: nOut }, (_, c) => zs.reduce((t, z) => t + z[c], 0) / B);
    const scaleOf = Array.from({ length: nOut }, (_, c) => 1 / Math.sqrt(zs.reduce((t, z) => t + (z[c] - mu[c]) ** 2, 0) / B + eps));
    const hs = zs.map((z) => {
      if (norm === 'batch') return z.map((v, c) => (v - mu[c]) * scaleOf[c]);
      if (norm === 'nf') return z.map((v) => v / betas[l - 1]);
      const m = z.reduce((t, v) => t + v, 0) / nOut, s = 1 / Math.sqrt(z.reduce((t, v) => t + (v - m) ** 2, 0) / nOut + eps);
      return z.map((v) => (v - m) * s);
    });
    J = J.map((Ji, i) => {
      const h = hs[i], z = zs[i];
      const m = z.reduce((t, v) => t + v, 0) / nOut, s = 1 / Math.sqrt(z.reduce((t, v) => t + (v - m) ** 2, 0) / nOut + eps);
      // tangents of z, then of h, then of a; one column per input direction
      const tz = Array.from({ length: nOut }, (_, j) => Array.from({ length: n0 }, (_, c) => Ji.reduce((t, Jk, k) => t + w[j * nIn + k] * Jk[c], 0)));
      const th = tz.map((r, j) => r.map((v) => (norm === 'batch' ? v * scaleOf[j] : norm === 'nf' ? v / betas[l - 1] : v)));
      if (norm === 'layer') {
        for (let c = 0; c < n0; c++) {
          const mt = tz.reduce((t, r) => t + r[c], 0) / nOut, mht = tz.reduce((t, r, j) => t + h[j] * r[c], 0) / nOut;
          for (let j = 0; j < nOut; j++) th[j][c] = s * (tz[j][c] - mt - h[j] * mht);
        }
      }
      return th.map((r, j) => r.map((v) => v * row.phiPrime(h[j], config.leakyAlpha)));
    });
    J.forEach((Ji) => (means[l - 1] += Ji.reduce((t, r) => t + r.reduce((u, v) => u + v * v, 0), 0) / n0 / inputs));
    xs = hs.map((h) => h.map((v) => row.phi(v, config.leakyAlpha)));
  }
  return means;
}

/** The same for residual blocks x ← x + α·(φ(N(x))·Wᵀ + b): J ← J + α·W·(φ′(h) ⊙ N′·J), N at the stream's x. */
function referenceResidualJacobian(config: ExperimentConfig, patternIndex: number, inputs: number): number[] {
  const n = config.width, pattern = config.patterns[patternIndex], row = ACTIVATIONS[pattern.activation];
  const norm = pattern.norm ?? config.norm, eps = 1e-5, B = config.batch, alpha = config.residual!;
  const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
  const betas = norm === 'nf' ? blockTheory(config, pattern).map((b) => Math.sqrt(b.norm_input_ex2)) : [];
  const draws = draw(streamId(patternIndex, 0), B * n);
  let xs = Array.from({ length: B }, (_, r) => draws.slice(r * n, (r + 1) * n));
  let J: number[][][] = Array.from({ length: inputs }, () => Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0))));
  const means = new Array(config.depth).fill(0);
  for (let l = 1; l <= config.depth; l++) {
    const w = draw(streamId(patternIndex, l), n * n, weightStd(pattern.init, n, n, gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)));
    const b = config.biasStd > 0 ? draw(streamId(patternIndex, l, 'bias'), n, config.biasStd) : new Array(n).fill(0);
    const mu = Array.from({ length: n }, (_, c) => xs.reduce((t, x) => t + x[c], 0) / B);
    const scaleOf = Array.from({ length: n }, (_, c) => 1 / Math.sqrt(xs.reduce((t, x) => t + (x[c] - mu[c]) ** 2, 0) / B + eps));
    const rowNorm = (x: number[]) => {
      const m = x.reduce((t, v) => t + v, 0) / n;
      return { m, s: 1 / Math.sqrt(x.reduce((t, v) => t + (v - m) ** 2, 0) / n + eps) };
    };
    const hs = xs.map((x) => {
      if (norm === 'batch') return x.map((v, c) => (v - mu[c]) * scaleOf[c]);
      if (norm === 'nf') return x.map((v) => v / betas[l - 1]);
      if (norm === 'layer') {
        const { m, s } = rowNorm(x);
        return x.map((v) => (v - m) * s);
      }
      return x.slice();
    });
    J = J.map((Ji, i) => {
      const h = hs[i], { s } = rowNorm(xs[i]);
      const th = Ji.map((r, j) => r.map((v) => (norm === 'batch' ? v * scaleOf[j] : norm === 'nf' ? v / betas[l - 1] : v)));
      if (norm === 'layer') {
        for (let c = 0; c < n; c++) {
          const mt = Ji.reduce((t, r) => t + r[c], 0) / n, mht = Ji.reduce((t, r, j) => t + h[j] * r[c], 0) / n;
          for (let j = 0; j < n; j++) th[j][c] = s * (Ji[j][c] - mt - h[j] * mht);
        }
      }
      const ta = th.map((r, j) => r.map((v) => v * row.phiPrime(h[j], config.leakyAlpha)));
      return Ji.map((r, j) => r.map((v, c) => v + alpha * ta.reduce((t, tk, k) => t + w[j * n + k] * tk[c], 0)));
    });
    J.forEach((Ji) => (means[l - 1] += Ji.reduce((t, r) => t + r.reduce((u, v) => u + v * v, 0), 0) / n / inputs));
    xs = xs.map((x, r) => {
      const a = hs[r].map((v) => row.phi(v, config.leakyAlpha));
      return x.map((v, j) => v + alpha * (b[j] + a.reduce((t, ak, k) => t + w[j * n + k] * ak, 0)));
    });
  }
  return means;
}

describe('the tangent pass (--spectrum)', () => {
  it('through residual blocks (no norm, batch norm with its statistics held fixed, layer norm, nf): within 1e-5 of a float64 forward and tangent pass of the whole batch', async () => {
    const config = defaultConfig({ batch: 40, width: 10, depth: 3, histLayers: [3], biasStd: 0.2, residual: 0.7, spectrum: true, spectrumInputs: 5, patterns: patterns('he:relu:none', 'he:relu:batch', 'xavier:tanh:layer', 'he:gelu:nf') });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });
    results.forEach((result, p) => {
      const reference = referenceResidualJacobian(config, p, 5);
      result.layers.forEach((record, l) => expect(Math.abs(record.jacobian_sq_mean! / reference[l] - 1), `${result.name} block ${l + 1}`).toBeLessThan(1e-5));
      // the product of χ leaves the skip out: no theory is drawn for residual blocks
      expect(result.layers.every((r) => r.theory?.jacobian_sq_mean === null)).toBe(true);
      expect(result.spectrum!.layers[0].theory).toBeNull();
    });
  });

  it('through normalized plain blocks (batch norm with the batch statistics held fixed, layer norm, nf): E‖J‖²/n₀ equals a float64 forward and tangent pass of the whole batch within 1e-5', async () => {
    const config = defaultConfig({ batch: 40, widths: [12, 9, 14, 7], depth: 3, histLayers: [3], biasStd: 0.2, spectrum: true, spectrumInputs: 5, patterns: patterns('he:relu:batch', 'xavier:tanh:layer', 'he:gelu:nf') });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });
    results.forEach((result, p) => {
      const reference = referenceNormalizedJacobian(config, p, 5);
      result.layers.forEach((record, l) => expect(Math.abs(record.jacobian_sq_mean! / reference[l] - 1), `${result.name} layer ${l + 1}`).toBeLessThan(1e-5));
      // no theory is drawn for normalized blocks
      expect(result.layers.every((r) => r.theory?.jacobian_sq_mean === null)).toBe(true);
      expect(result.spectrum!.layers[0].theory).toBeNull();
    });
  });

  it('E‖J‖²/n₀ equals an explicit float64 product of the layers’ D·W from the same draws, within f32 rounding (unequal widths, a bias, tanh, GELU, ReLU, inputs in two shards)', async () => {
    const config = defaultConfig({ batch: 80, widths: [12, 9, 14, 7], depth: 3, histLayers: [1, 3], biasStd: 0.2, spectrum: true, spectrumInputs: 70, patterns: patterns('he:tanh', 'xavier:gelu', 'he:relu') });
    // 70 inputs: shard 0 holds rows 0–63, shard 1 the other 6
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });
    results.forEach((result, p) => {
      const reference = referenceJacobian(config, p, 70);
      result.layers.forEach((record, l) => {
        // f32 products through 3 layers of ≤ 14 terms: a relative error of a few 1e-7, far below the 1e-5 allowed
        expect(Math.abs(record.jacobian_sq_mean! / reference[l] - 1), `${result.name} layer ${l + 1}`).toBeLessThan(1e-5);
      });
    });
  });

  it('follows the product of χ at width 256 (He + ReLU stays at 1, Xavier + ReLU halves per layer, Xavier + tanh, He + GELU), within 4 standard deviations of the finite-width spread', async () => {
    const depth = 8, width = 256, inputs = 8;
    const config = defaultConfig({ batch: 64, width, depth, histLayers: [], spectrum: true, spectrumInputs: inputs, patterns: patterns('he:relu', 'xavier:relu', 'xavier:tanh', 'he:gelu') });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 1) });
    // ln ‖J v‖² per unit tangent v gains a χ²_n/n factor per layer (variance 2/n), so over L layers its sd is at
    // most √(2L/n) per input; the inputs are independent draws of x (the n₀ tangents of one input only shrink it)
    const sd = Math.sqrt((2 * depth) / width) / Math.sqrt(inputs);
    for (const result of results) {
      const last = result.layers[depth - 1];
      expect(Math.abs(Math.log(last.jacobian_sq_mean! / last.theory!.jacobian_sq_mean!)), result.name).toBeLessThan(4 * sd);
    }
    // the error it guards against: φ′ taken as 1 (He + ReLU would grow as 2^L) or the width ratio lost — far outside
    expect(results[1].layers[depth - 1].theory!.jacobian_sq_mean).toBeCloseTo(0.5 ** depth, 6);
    // its figure: a line chart on the page's line tab, a measured line with a marker per layer for every pattern
    const job = figureSet(results).find((j) => j.name === 'relu_spread_check_jacobian')!;
    expect(job.panels).toEqual(['lines']);
    const svg = serializeSvg(job.build({ document: jsdomDocument() }));
    expectWellFormedXml(svg, job.name);
    expect(job.chart!.series.filter((s) => !s.dashed).map((s) => s.points.filter((pt) => pt.y !== null).length)).toEqual([depth, depth, depth, depth]);
  });

  it('metrics.json with --spectrum is byte-identical for --threads 1, 2 and 3, the inputs spanning shards', () => {
    const bytes = [1, 2, 3].map((threads) => {
      const out = mkdtempSync(join(tmpdir(), 'rsc-spectrum-'));
      const r = spawnSync(process.execPath, [CLI, '--spectrum', '--spectrum-inputs', '70', '--batch', '200', '--width', '24', '--depth', '4', '--pattern', 'he:relu', '--pattern', 'lsuv:tanh', '--pattern', 'orthogonal:gelu', '--input-corr', '0.3', '--threads', String(threads), '--out', out, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(join(out, 'metrics.json'), 'utf8');
    });
    expect(bytes[1]).toBe(bytes[0]);
    expect(bytes[2]).toBe(bytes[0]);
    const parsed = JSON.parse(bytes[0]);
    expect(parsed.config.spectrum).toBe(true);
    expect(parsed.config.spectrumInputs).toBe(70);
    expect(parsed.patterns.every((p: { layers: { jacobian_sq_mean?: number }[] }) => p.layers.every((l) => l.jacobian_sq_mean! > 0))).toBe(true);
  });

  it('a run without --spectrum records neither its fields nor its options (metrics.json keeps its bytes)', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-spectrum-off-'));
    const r = spawnSync(process.execPath, [CLI, '--batch', '64', '--width', '8', '--depth', '2', '--out', out, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(out, 'metrics.json'), 'utf8');
    expect(text).not.toMatch(/spectrum|jacobian/);
  });

  it.each([
    [['--spectrum', '--spectrum-inputs', '300', '--batch', '256'], /^relu-spread-check: --spectrum-inputs must be an integer in 1 … --batch \(256\)/],
    [['--spectrum-inputs', '0'], /^relu-spread-check: --spectrum-inputs must be an integer in 1 … /],
    [['--spectrum', '--width', '2048', '--batch', '16'], /^relu-spread-check: --spectrum takes widths up to 1024 \(its eigenvalues are solved exactly, O\(n³\) in float64\), got --width 2048$/m],
    [['--spectrum', '--widths', '16,1500,16', '--batch', '16'], /^relu-spread-check: --spectrum takes widths up to 1024 .*got --widths with 1500$/m],
  ])('refuses %j with one line naming the option, exit 2, nothing written', (args, message) => {
    const out = join(mkdtempSync(join(tmpdir(), 'rsc-spectrum-bad-')), 'out');
    const r = spawnSync(process.execPath, [CLI, ...args, '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(() => readFileSync(join(out, 'metrics.json'))).toThrow();
  });
});

describe('the spectrum of JJᵀ at the histogram layers (--spectrum)', () => {
  const spectrumOf = async (pattern: string, width: number, depth: number, gain: ExperimentConfig['gain'] = 1) => {
    const config = defaultConfig({ batch: 16, width, depth, histLayers: [depth], spectrum: true, spectrumInputs: 4, gain, patterns: patterns(pattern) });
    const [result] = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });
    return { result, layer: result.spectrum!.layers[0] };
  };

  it('orthogonal:identity at depth 20: every eigenvalue is 1 within 1e-4, the variance below 1e-6; theory mean 1, variance 0', async () => {
    const { layer } = await spectrumOf('orthogonal:identity', 128, 20);
    expect(Math.abs(layer.eig_min - 1)).toBeLessThan(1e-4);
    expect(Math.abs(layer.eig_max - 1)).toBeLessThan(1e-4);
    expect(layer.eig_var).toBeLessThan(1e-6);
    expect(layer.theory!.eig_mean).toBeCloseTo(1, 9);
    expect(layer.theory!.eig_var).toBeGreaterThanOrEqual(0);
    expect(layer.theory!.eig_var).toBeLessThan(1e-12);
    expect(layer.counts.reduce((t, c) => t + c, 0) + layer.zeros).toBe(4 * 128);
  });

  it('xavier:identity (depth 8, width 256): theory mean 1 and normalized variance L to 1e-6; measured within 20% of L; the mean equals E‖J‖²/n₀', async () => {
    const { result, layer } = await spectrumOf('xavier:identity', 256, 8);
    expect(layer.theory!.eig_mean).toBeCloseTo(1, 6);
    expect(layer.theory!.eig_var / layer.theory!.eig_mean ** 2 / 8 - 1).toBeLessThan(1e-6);
    expect(Math.abs(layer.eig_var / layer.eig_mean ** 2 / 8 - 1)).toBeLessThan(0.2);
    expect(layer.eig_mean / result.layers[7].jacobian_sq_mean! - 1).toBeLessThan(1e-9);
  });

  it('He + ReLU (depth 8, width 256): normalized variance 2L with Gaussian weights and L with orthogonal ones, theory to 1e-6 and measured within 20%', async () => {
    for (const [pattern, gain, want] of [['he:relu', 1, 16], ['orthogonal:relu', 'auto', 8]] as const) {
      const { layer } = await spectrumOf(pattern, 256, 8, gain);
      expect(Math.abs(layer.theory!.eig_var / layer.theory!.eig_mean ** 2 / want - 1), pattern).toBeLessThan(1e-6);
      expect(Math.abs(layer.eig_var / layer.eig_mean ** 2 / want - 1), pattern).toBeLessThan(0.2);
      // the largest eigenvalue against the support's right edge (width 512: 43.6 against 43.5, 20.1 against 20.4)
      expect(Math.abs(layer.eig_max / layer.theory!.eig_max! - 1), pattern).toBeLessThan(0.15);
    }
  });
});

describe('--spectrum in the CSV export', () => {
  it('histograms.csv gains the log10 λ bins of every spectrum layer (they and the zeros count every eigenvalue), layers.csv the Jacobian columns', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-spectrum-csv-'));
    const r = spawnSync(process.execPath, [CLI, '--spectrum', '--spectrum-inputs', '3', '--batch', '32', '--width', '16', '--depth', '3', '--pattern', 'he:relu', '--pattern', 'xavier:tanh', '--out', out, '--format', 'csv', '--quiet'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const rows = readFileSync(join(out, 'histograms.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (const p of metrics.patterns) {
      for (const s of p.spectrum.layers) {
        const mine = rows.filter((c) => c[0] === p.name && c[1] === String(s.layer) && c[2] === 'log10_lambda');
        expect(mine).toHaveLength(s.counts.length);
        expect(mine.reduce((t, c) => t + Number(c[6]), 0) + s.zeros).toBe(3 * 16);
      }
    }
    const header = readFileSync(join(out, 'layers.csv'), 'utf8').split('\n')[0].split(',');
    expect(header).toContain('jacobian_sq_mean');
    expect(header).toContain('theory_jacobian_sq_mean');
  });
});
