// Per-channel batch statistics from the shards' fixed-block column sums (SUM_BLOCK_ROWS rows each),
// added block by block in batch-row order, so every value is the same for any split of the batch:
// the SPP quantities of a block (Brock et al. 2021) and batch norm's mean and scale.

/** A block's channel statistics over the whole batch. */
export interface ChannelStatistics {
  /** Per channel: the batch mean and the population variance E[v²] − E[v]². */
  means: Float64Array;
  variances: Float64Array;
  /** Per channel: the batch mean of the products summed (of v², or of δh·h for batch norm's backward pass). */
  meanProducts: Float64Array;
  /** E[v²] over every value. */
  ex2: number;
  /** The mean over channels of (the channel's mean)², and of its variance. */
  sqChMean: number;
  chVar: number;
}

/**
 * From each shard's sums and sums of squares (or of products) (blocks × cols f64, in row order of the shards) over
 * `count` batch rows: per channel Σ over blocks in order, then the moments.
 */
export function channelStatistics(sums: readonly Float64Array[], squares: readonly Float64Array[], cols: number, count: number): ChannelStatistics {
  const total = new Float64Array(cols), totalSquares = new Float64Array(cols);
  const add = (into: Float64Array, parts: readonly Float64Array[]) => {
    for (const part of parts) for (let at = 0; at < part.length; at += cols) for (let c = 0; c < cols; c++) into[c] += part[at + c];
  };
  add(total, sums);
  add(totalSquares, squares);
  const means = new Float64Array(cols), variances = new Float64Array(cols), meanProducts = new Float64Array(cols);
  let squareSum = 0, sqChMean = 0, chVar = 0;
  for (let c = 0; c < cols; c++) {
    means[c] = total[c] / count;
    meanProducts[c] = totalSquares[c] / count;
    variances[c] = Math.max(0, meanProducts[c] - means[c] * means[c]);
    squareSum += totalSquares[c];
    sqChMean += means[c] * means[c];
    chVar += variances[c];
  }
  return { means, variances, meanProducts, ex2: squareSum / (count * cols), sqChMean: sqChMean / cols, chVar: chVar / cols };
}

/** Batch norm's normalizeColumns parameters: each channel's mean, then 1/√(σ² + ε). */
export function batchNormParameters(stats: ChannelStatistics, epsilon: number): Float64Array {
  const cols = stats.means.length, params = new Float64Array(2 * cols);
  params.set(stats.means);
  for (let c = 0; c < cols; c++) params[cols + c] = 1 / Math.sqrt(stats.variances[c] + epsilon);
  return params;
}
