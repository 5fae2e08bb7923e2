// What --spectrum adds to a run: the tangent pass (n₀ tangents per input through every layer, on the
// kernel's GEMM), the eigenvalues of each input's Gram matrix at the histogram layers (float64, on the
// main thread) and the free-probability theory, on one worker. The same He + ReLU run with and without
// it, in alternation; the difference is taken round by round.
import { runExperiment } from '../src/index.js';
import { round2, summarize } from './stats.js';

export interface SpectrumCost {
  width: number;
  depth: number;
  inputs: number;
  plain_s: number;
  spectrum_s: number;
  /** (with − without) per round, its median and range: the tangent pass, the eigensolver and the theory. */
  extra_s: number;
  min: number;
  max: number;
}

async function seconds(spectrum: boolean, width: number, depth: number): Promise<number> {
  const started = performance.now();
  await runExperiment({ batch: 64, width, depth, threads: 1, patterns: ['he:relu'], spectrum, spectrumInputs: 4 });
  return (performance.now() - started) / 1000;
}

export async function spectrumCost(width: number, depth: number, rounds: number): Promise<SpectrumCost> {
  await seconds(true, 64, 4); // warm-up
  const plain: number[] = [], withSpectrum: number[] = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(await seconds(false, width, depth));
    withSpectrum.push(await seconds(true, width, depth));
  }
  const extra = summarize(withSpectrum.map((s, i) => s - plain[i]));
  const cost = { width, depth, inputs: 4, plain_s: round2(summarize(plain).median), spectrum_s: round2(summarize(withSpectrum).median), extra_s: round2(extra.median), min: round2(extra.min), max: round2(extra.max) };
  console.error(`--spectrum at width ${width}, depth ${depth}, K = 4, one worker: +${cost.extra_s} s (${cost.min}–${cost.max}) on a run of ${cost.plain_s} s`);
  return cost;
}

export function spectrumMarkdown(costs: SpectrumCost[]): string {
  return `What \`--spectrum\` adds (\`bench/spectrumCost.ts\`: He + ReLU at batch 64 on one worker, K = 4 inputs, the default histogram layers, with and without it in alternation): ${costs.map((c) => `width ${c.width}, depth ${c.depth}: **+${c.extra_s} s** (${c.min}–${c.max}) on ${c.plain_s} s`).join('; ')}. This is the tangent pass, the float64 eigenvalues of each input's Gram matrix and the free-probability theory together.`;
}
