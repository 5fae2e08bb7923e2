// The tangent pass against central differences of a float64 forward pass, for every block kind: the
// spectrum of JJᵀ that --spectrum records for input row 0 equals that of J formed column by column as
// (f(x + h·e_c) − f(x − h·e_c))/2h. Batch norm's statistics are those of the unperturbed batch, held fixed.
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/runExperiment.js';
import { loadNodeKernel } from '../../src/kernel/wasmFile.js';
import { defaultConfig, NORM_EPSILON, type ExperimentConfig } from '../../src/model/config.js';
import { heSlope, resolvedGain, weightStd } from '../../src/model/inits.js';
import { parsePattern } from '../../src/model/patterns.js';
import { streamId } from '../../src/model/streams.js';
import { localShards } from '../../src/shards/localShards.js';
import { ACTIVATIONS } from '../../src/theory/activations.js';
import { blockTheory } from '../../src/predictions/patternTheory.js';
import { symmetricEigenvalues } from '../../src/metrics/symmetricEigen.js';
import { draw } from '../helpers/draws.js';

const patterns = (...texts: string[]) => texts.map((t, i) => parsePattern(t, i) as Exclude<ReturnType<typeof parsePattern>, string>);

/** One block's map of a row, given what the batch fixes (batch norm's mean and scale per channel). */
type RowMap = (x: number[]) => number[];

/**
 * The network as float64 maps of one row, each block's batch statistics taken from a float64 forward pass of
 * the whole batch: plain blocks x ← φ(N(W x + b)), residual blocks x ← x + α·(W φ(N(x)) + b).
 */
function rowMaps(config: ExperimentConfig, patternIndex: number): { x0: number[]; blocks: RowMap[] } {
  const pattern = config.patterns[patternIndex], row = ACTIVATIONS[pattern.activation], norm = pattern.norm ?? config.norm;
  const widths = config.widths ?? new Array(config.depth + 1).fill(config.width), B = config.batch, alpha = config.residual;
  const gain = resolvedGain(config.gain, pattern.init, pattern.activation, config.leakyAlpha);
  const betas = norm === 'nf' ? blockTheory(config, pattern).map((b) => Math.sqrt(b.norm_input_ex2)) : [];
  const draws = draw(streamId(patternIndex, 0), B * widths[0]);
  let xs = Array.from({ length: B }, (_, r) => draws.slice(r * widths[0], (r + 1) * widths[0]));
  const blocks: RowMap[] = [];
  for (let l = 1; l <= config.depth; l++) {
    const nIn = widths[l - 1], nOut = widths[l];
    const w = draw(streamId(patternIndex, l), nOut * nIn, weightStd(pattern.init, nIn, nOut, gain, config.fanMode, heSlope(pattern.activation, config.leakyAlpha)));
    const b = config.biasStd > 0 ? draw(streamId(patternIndex, l, 'bias'), nOut, config.biasStd) : new Array(nOut).fill(0);
    const linear = (v: number[]) => Array.from({ length: nOut }, (_, j) => b[j] + v.reduce((t, vk, k) => t + w[j * nIn + k] * vk, 0));
    const linearNoBias = (v: number[]) => Array.from({ length: nOut }, (_, j) => v.reduce((t, vk, k) => t + w[j * nIn + k] * vk, 0));
    // the batch's statistics of what the norm sees: z for plain blocks, the stream x for residual ones
    const seen = alpha === undefined ? xs.map(linear) : xs;
    const n = seen[0].length, mu = Array.from({ length: n }, (_, c) => seen.reduce((t, s) => t + s[c], 0) / B);
    const scale = Array.from({ length: n }, (_, c) => 1 / Math.sqrt(seen.reduce((t, s) => t + (s[c] - mu[c]) ** 2, 0) / B + NORM_EPSILON));
    const normalize = (v: number[]): number[] => {
      if (norm === 'batch') return v.map((u, c) => (u - mu[c]) * scale[c]);
      if (norm === 'nf') return v.map((u) => u / betas[l - 1]);
      if (norm === 'layer') {
        const m = v.reduce((t, u) => t + u, 0) / v.length, s = 1 / Math.sqrt(v.reduce((t, u) => t + (u - m) ** 2, 0) / v.length + NORM_EPSILON);
        return v.map((u) => (u - m) * s);
      }
      return v;
    };
    const phi = (v: number[]) => v.map((u) => row.phi(u, config.leakyAlpha));
    const block: RowMap = alpha === undefined ? (x) => phi(normalize(linear(x))) : (x) => {
      const branch = linearNoBias(phi(normalize(x)));
      return x.map((u, j) => u + alpha * (branch[j] + b[j]));
    };
    blocks.push(block);
    xs = xs.map(block);
  }
  return { x0: draws.slice(0, widths[0]), blocks };
}

/** Mean, variance and largest of the eigenvalues of JJᵀ for J by central differences (the smaller Gram's, as the record's). */
function differenceSpectrum(config: ExperimentConfig, patternIndex: number): { mean: number; variance: number; max: number } {
  const { x0, blocks } = rowMaps(config, patternIndex), f = (x: number[]) => blocks.reduce((v, block) => block(v), x);
  const step = 1e-5, n0 = x0.length;
  // column c of J, as row c of Jᵀ
  const jt = Array.from({ length: n0 }, (_, c) => {
    const up = x0.slice(), down = x0.slice();
    up[c] += step;
    down[c] -= step;
    const fu = f(up), fd = f(down);
    return fu.map((v, j) => (v - fd[j]) / (2 * step));
  });
  const nl = jt[0].length, m = Math.min(n0, nl), gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    if (n0 <= nl) for (let k = 0; k < nl; k++) s += jt[i][k] * jt[j][k];
    else for (let r = 0; r < n0; r++) s += jt[r][i] * jt[r][j];
    gram[i * m + j] = s;
  }
  const eig = symmetricEigenvalues(gram, m), mean = eig.reduce((t, v) => t + v, 0) / m;
  return { mean, variance: eig.reduce((t, v) => t + (v - mean) ** 2, 0) / m, max: Math.max(...eig) };
}

describe('the tangent pass against central differences of the forward pass', () => {
  it.each([
    ['plain blocks, unequal widths', { widths: [12, 9, 14, 7] }, ['he:relu', 'xavier:tanh', 'he:gelu', 'lecun:selu']],
    ['normalized plain blocks (batch, layer, nf)', { widths: [12, 9, 14, 7] }, ['he:relu:batch', 'xavier:tanh:layer', 'he:gelu:nf']],
    ['residual blocks (no norm, batch, layer, nf)', { width: 10, residual: 0.7 }, ['he:relu:none', 'he:relu:batch', 'xavier:tanh:layer', 'he:gelu:nf']],
  ] as [string, Partial<ExperimentConfig>, string[]][])('%s: the recorded eigenvalues of JJᵀ for input 0 match J by central differences (mean, variance and largest within 1e-4)', async (_, shape, names) => {
    const config = defaultConfig({ batch: 40, depth: 3, histLayers: [3], biasStd: 0.2, spectrum: true, spectrumInputs: 1, patterns: patterns(...names), ...shape });
    const results = await runExperiment(config, { openShards: (c) => localShards(c, () => loadNodeKernel('wasm-simd'), 2) });
    results.forEach((result, p) => {
      const measured = result.spectrum!.layers[0], reference = differenceSpectrum(config, p);
      // float32 tangents through 3 blocks against float64 differences (their own error ~1e-10): a few 1e-7 apart
      expect(Math.abs(measured.eig_mean / reference.mean - 1), `${result.name} mean`).toBeLessThan(1e-4);
      expect(Math.abs(measured.eig_var / reference.variance - 1), `${result.name} variance`).toBeLessThan(1e-4);
      expect(Math.abs(measured.eig_max / reference.max - 1), `${result.name} largest`).toBeLessThan(1e-4);
    });
  });
});
