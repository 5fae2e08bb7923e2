import { reduceRowStats } from '../metrics/reduceRowStats.js';
import type { ShardHandle } from './shardProtocol.js';

/** LSUV (Mishkin & Matas 2016): rescale W until Var(z) = 1 ± 0.01 on the batch, at most 10 passes. */
const LSUV_TOLERANCE = 0.01;
const LSUV_MAX_PASSES = 10;

/** The passes taken and the product of the factors applied to the orthogonal start. */
export async function lsuvLayer(shards: ShardHandle[], cols: number, batchNorm?: Float64Array): Promise<{ passes: number; scale: number }> {
  await Promise.all(shards.map((s) => s.prepareLayer(batchNorm)));
  let scale = 1;
  for (let pass = 1; ; pass++) {
    const t = reduceRowStats(await Promise.all(shards.map((s) => s.probeLayer())), cols);
    const mean = t.zSum / t.count, variance = t.zSumSq / t.count - mean * mean;
    if (Math.abs(variance - 1) <= LSUV_TOLERANCE || pass > LSUV_MAX_PASSES || !(variance > 0)) return { passes: pass - 1, scale };
    const factor = 1 / Math.sqrt(variance);
    // the shards multiply float32 weights by Math.fround(factor)
    scale *= Math.fround(factor);
    await Promise.all(shards.map((s) => s.scaleWeights(factor)));
  }
}
