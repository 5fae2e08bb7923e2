// What batch norm's cross-worker statistics cost a layer: the same blocks with `--norm nf` (the same
// normalizeColumns, parameters from the theory, no batch statistics) against `--norm batch` (channel sums of
// every shard's rows, added in row order on the main thread, parameters sent back; a plain block waits one
// more round trip for them). Per-layer times come from the run's progress callbacks (layer l − 1 done to
// layer l done), so opening workers is left out; the two norms run in alternation and the ratio is per round.
import { runExperiment } from '../src/index.js';
import type { NormName } from '../src/theory/residualStream.js';
import { round2, summarize } from './stats.js';

export interface NormCost {
  block: 'plain' | 'residual';
  batch: number;
  width: number;
  threads: number;
  nf_layer_ms: number;
  batch_layer_ms: number;
  /** (batch − nf)/batch per round: the share of a batch-norm layer its cross-worker reduction takes. */
  share: number;
  min: number;
  max: number;
}

async function layerSeconds(norm: NormName, residual: boolean, batch: number, width: number, depth: number, threads: number): Promise<number> {
  const done: number[] = [];
  await runExperiment({ batch, width, depth, threads, kernel: 'simd', patterns: ['he:relu'], norm, histLayers: [1], ...(residual ? { residual: 1 } : {}), onProgress: () => done.push(performance.now()) });
  const steps = done.slice(2).map((t, i) => (t - done[i + 1]) / 1000);
  return summarize(steps).median;
}

export async function batchNormCost(block: 'plain' | 'residual', batch: number, width: number, depth: number, threads: number, rounds: number): Promise<NormCost> {
  const residual = block === 'residual';
  await layerSeconds('batch', residual, batch, width, 3, threads); // warm-up
  const nf: number[] = [], bn: number[] = [];
  for (let r = 0; r < rounds; r++) {
    nf.push(await layerSeconds('nf', residual, batch, width, depth, threads));
    bn.push(await layerSeconds('batch', residual, batch, width, depth, threads));
  }
  const shares = summarize(bn.map((b, i) => (b - nf[i]) / b));
  const cost = {
    block, batch, width, threads, nf_layer_ms: round2(summarize(nf).median * 1000), batch_layer_ms: round2(summarize(bn).median * 1000),
    share: Math.round(shares.median * 1000) / 1000, min: Math.round(shares.min * 1000) / 1000, max: Math.round(shares.max * 1000) / 1000,
  };
  console.error(`batch norm's reduction, ${block} blocks, ${batch} × ${width}, ${threads} workers: ${cost.batch_layer_ms} ms a layer against nf's ${cost.nf_layer_ms} ms: ${(cost.share * 100).toFixed(1)}% (${(cost.min * 100).toFixed(1)}–${(cost.max * 100).toFixed(1)}%)`);
  return cost;
}
