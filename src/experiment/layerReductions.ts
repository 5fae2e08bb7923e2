// What the host reduces of the shards' steps, in row order (so any split of the batch gives the same
// numbers): histograms, pair cosines, channel statistics, and the samples' norm ratios.
import { channelStatistics, type ChannelStatistics } from '../metrics/channelStatistics.js';
import { histogramEdges } from '../metrics/histogram.js';
import { meanPairCosine, unitRowFactor } from '../metrics/pairCorrelation.js';
import type { Histogram } from '../metrics/results.js';
import { STAT_A_SUMSQ, STAT_FIELDS, STAT_Z_SUMSQ } from '../kernel/layout.js';
import { log, log10 } from '../theory/portableMath.js';
import type { LayerStep } from './blocks/block.js';
import type { ShardHandle } from './shardProtocol.js';

function sumCounts(parts: Uint32Array[]): number[] {
  const total = new Array<number>(parts[0].length).fill(0);
  for (const part of parts) for (let i = 0; i < part.length; i++) total[i] += part[i];
  return total;
}

/** Bin edges over [lo, hi], or null where the range is not finite (values beyond float32: an empty histogram says so). */
const edgesOver = (lo: number, hi: number, bins: number): Float64Array | null => (Number.isFinite(lo) && Number.isFinite(hi) ? histogramEdges(lo, hi, bins) : null);

/**
 * The histograms of z and a (`a` absent: a is z, and its histogram is z's) of histogram layer `layer`
 * over the whole batch: the shards' counts over the same edges, added, both asked in one request.
 */
export async function layerHistograms(shards: ShardHandle[], layer: number, bins: number, z: [number, number], a?: [number, number]): Promise<{ z: Histogram; a: Histogram }> {
  const zEdges = edgesOver(z[0], z[1], bins), aEdges = a ? edgesOver(a[0], a[1], bins) : null;
  const counts = zEdges || aEdges ? await Promise.all(shards.map((s) => s.histograms(layer, zEdges, aEdges))) : [];
  const of = (edges: Float64Array | null, part: 'z' | 'a'): Histogram => (edges ? { edges: Array.from(edges), counts: sumCounts(counts.map((c) => c[part]!)) } : { edges: [], counts: [] });
  const zHistogram = of(zEdges, 'z');
  // the identity's a: a copy of z's (predictions are added to each)
  return { z: zHistogram, a: a ? of(aEdges, 'a') : { edges: [...zHistogram.edges], counts: [...zHistogram.counts] } };
}

/** log10(‖aᴸ‖²/‖x‖²) of every sample (row), from the rows' sums of squares. */
export function sampleLogRatios(input: Float64Array[], last: Float64Array[]): number[] {
  const values: number[] = [];
  input.forEach((rows, s) => {
    for (let r = 0; r * STAT_FIELDS < rows.length; r++) values.push(log10(last[s][r * STAT_FIELDS + STAT_A_SUMSQ] / rows[r * STAT_FIELDS + STAT_A_SUMSQ]));
  });
  return values;
}

/** The mean pair cosine of z or a over the whole batch, from the shards' steps in row order. */
export function pairCosineOf(steps: readonly LayerStep[], of: 'z' | 'a', cols: number): number | null {
  const field = of === 'z' ? STAT_Z_SUMSQ : STAT_A_SUMSQ;
  let units = 0, complete = true;
  for (const { rows } of steps) {
    for (let s = field; s < rows.length; s += STAT_FIELDS) {
      if (unitRowFactor(rows[s]) > 0) units++;
      else if (!(rows[s] === 0)) complete = false;
    }
  }
  return meanPairCosine(steps.map((s) => (of === 'z' ? s.zUnitSums : s.aUnitSums)), cols, units, complete);
}

/** The channel statistics of the steps' output x over the whole batch. */
export function stepChannels(steps: readonly LayerStep[], cols: number, batch: number): ChannelStatistics {
  return channelStatistics(steps.map((s) => s.xSums!), steps.map((s) => s.xSquares!), cols, batch);
}


/** token_corr: the mean over sequences of their tokens' mean pair cosine, in sequence order; null where no sequence has 2 nonzero tokens. */
export function tokenCorrOf(steps: readonly LayerStep[]): number | null {
  let sum = 0, count = 0;
  for (const step of steps) {
    for (const cosine of step.tokenCosines!) {
      if (Number.isNaN(cosine)) continue;
      sum += cosine;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}

/** attn_entropy: the mean entropy of the `rows` attention rows (batch × heads) over log T, the uniform row's; null for T = 1. */
export function attentionEntropyOf(steps: readonly LayerStep[], rows: number, tokens: number): number | null {
  if (tokens < 2) return null;
  let sum = 0;
  for (const step of steps) for (const e of step.attentionEntropy!) sum += e;
  return sum / rows / log(tokens);
}
