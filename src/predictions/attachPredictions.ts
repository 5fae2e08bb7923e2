// What the theory predicts for the measured results, attached to them once so that figures only
// draw and metrics.json carries the predictions (they can be diffed like the measurements).
import { finiteWidthPremise, type ExperimentConfig } from '../model/config.js';
import { aDensity, zDensity, type Density } from '../theory/densities.js';
import { heReluLogNormLaw, lawBinMasses, lawQuantile } from '../theory/finiteWidth.js';
import { heReluBatchSpread, type BatchSpread } from '../theory/finiteWidthBatch.js';
import { normalCdf } from '../theory/erf.js';
import { histogramOfValues } from '../metrics/histogram.js';
import type { Histogram, LayerHistograms, LayerRecord, PatternResult } from '../metrics/results.js';

/** N·∫ pdf over each bin (Simpson, 32 steps) + N·(point masses in it); the atoms with their counts. */
export function expectIn(hist: Histogram, density: Density): void {
  const { edges, counts } = hist, total = counts.reduce((s, c) => s + c, 0);
  hist.expected = counts.map((_, i) => {
    const a = edges[i], b = edges[i + 1], n = 32, step = (b - a) / n;
    let integral = 0;
    for (let j = 0; j <= n; j++) integral += (j === 0 || j === n ? 1 : j % 2 ? 4 : 2) * density.pdf(a + j * step);
    const mass = density.atoms.filter((m) => m.at >= a && (m.at < b || (i === counts.length - 1 && m.at <= b))).reduce((t, m) => t + m.p, 0);
    return total * ((integral * step) / 3 + mass);
  });
  hist.atoms = density.atoms.map((m) => ({ at: m.at, p: m.p, count: total * m.p }));
}

/** Histograms: z ~ N(0, E[z²]) of the layer and the law of φ(z) where φ is monotone (a run attaches them as each histogram arrives, while its shards go on). */
export function predictHistogram(config: ExperimentConfig, result: PatternResult, h: LayerHistograms): void {
  const q = result.layers[h.layer - 1].z_ex2;
  if (!(q > 0 && Number.isFinite(q)) || h.z.counts.length === 0) return;
  expectIn(h.z, zDensity(q));
  const aLaw = aDensity(result.activation, q, config.leakyAlpha);
  if (aLaw && h.a.counts.length > 0) expectIn(h.a, aLaw);
}

/** The patterns the finite-width law is for (given the config's premise, finiteWidthPremise). */
const isHeRelu = (p: { init: string; activation: string }) => p.init === 'he' && p.activation === 'relu';

/** Works out the finite-width law a pattern's predictions will read (heReluLogNormLaw keeps the last), so that a run can do it while its shards compute. */
export function prepareFiniteWidthLaw(config: ExperimentConfig, pattern: { init: string; activation: string }): void {
  const width = finiteWidthPremise(config);
  if (width !== undefined && isHeRelu(pattern)) heReluLogNormLaw(width, config.depth);
}

/**
 * `samplesOf` gives a result's per-sample log norm ratios (what sample_norm_ratio bins), so the
 * finite-width figure's bins can span the prediction's range too instead of cutting it off.
 */
export function attachPredictions(config: ExperimentConfig, results: PatternResult[], samplesOf: (r: PatternResult) => number[] | undefined = () => undefined): void {
  const uniformWidth = finiteWidthPremise(config);
  for (const result of results) {
    for (const h of result.histograms) if (h.z.expected === undefined) predictHistogram(config, result, h);
    // the finite-width law of the per-sample norm ratio (He + ReLU, equal widths, no bias, gain 1)
    const ratios = result.sample_norm_ratio;
    if (uniformWidth !== undefined && isHeRelu(result) && ratios && ratios.counts.length > 0) {
      const law = heReluLogNormLaw(uniformWidth, result.layers.length);
      const samples = samplesOf(result);
      // bins over both ranges: the measured samples' and the prediction's central 99.8%
      if (samples?.length) result.sample_norm_ratio = histogramOfValues(samples, ratios.counts.length, [lawQuantile(law, 0.001), lawQuantile(law, 0.999)]);
      const { edges, counts } = result.sample_norm_ratio!, total = counts.reduce((t, c) => t + c, 0);
      const spread = heReluBatchSpread(uniformWidth, result.layers.length, config.inputCorr, config.batch), sd = (v: number) => Math.sqrt(v) / Math.LN10;
      result.finite_width = {
        width: uniformWidth,
        expected: lawBinMasses(law, edges).map((p) => total * p),
        sample_sd_log10: spread.sample.map(sd),
        seed_sd_log10: spread.batchMean.map(sd),
        // --input-corr 1: every sample is the same, and there is no spread within a batch to draw
        ...(samples?.length && spread.sample.at(-1)! > spread.shared.at(-1)! ? { given_w: givenW(samples, config.batch, spread, edges) } : {}),
      };
    }
    // the gradient going down from the measured last layer by χ per step, for every seed's records
    for (const layers of result.seeds ?? [result.layers]) chainGradientTheory(layers);
  }
}

/**
 * theory.grad_z_ex2 of each layer: the measured last layer's E[(δz)²], times χ per step down (null past a
 * missing χ); residual blocks: theory.grad_x_ex2, the stream's E[(δx)²], likewise.
 */
function chainGradientTheory(layers: LayerRecord[]): void {
  if (layers.length === 0 || layers[layers.length - 1].grad_z_ex2 === undefined) return;
  const key = layers[layers.length - 1].grad_x_ex2 === undefined ? 'grad_z_ex2' : 'grad_x_ex2';
  let above: number | null = layers[layers.length - 1][key] ?? null;
  for (let l = layers.length - 1; l >= 0; l--) {
    if (l < layers.length - 1) {
      const chi = layers[l + 1].grad_chi;
      above = chi !== undefined && chi !== null && above !== null ? above * chi : null;
    }
    if (layers[l].theory) layers[l].theory![key] = above;
  }
}

/**
 * The samples' law given each seed's draw of W (finiteWidthBatch.ts): a seed's B samples share the part G of their log
 * ratio, so around their own mean (measured: the centre) they spread only by the unshared part, of variance
 * (L·v − κ_L)·(1 − 1/B) (normal: a sum over L layers). Expected counts per bin, summed over the seeds (batch rows each,
 * in seed order; a K = 0 sample, log ratio −∞, is in no bin and left out of its seed's centre).
 */
function givenW(samples: readonly number[], batch: number, spread: BatchSpread, edges: readonly number[]): { sd_log10: number; centres: number[]; expected: number[] } {
  const last = spread.sample.length - 1;
  const sd = Math.sqrt((spread.sample[last] - spread.shared[last]) * (1 - 1 / batch)) / Math.LN10;
  const centres: number[] = [], expected = new Array<number>(edges.length - 1).fill(0);
  for (let at = 0; at < samples.length; at += batch) {
    const finite = samples.slice(at, at + batch).filter(Number.isFinite);
    if (finite.length === 0) continue;
    const centre = finite.reduce((t, v) => t + v, 0) / finite.length;
    centres.push(centre);
    const cdf = edges.map((e) => normalCdf((e - centre) / sd));
    for (let i = 0; i < expected.length; i++) expected[i] += finite.length * (cdf[i + 1] - cdf[i]);
  }
  return { sd_log10: sd, centres, expected };
}
