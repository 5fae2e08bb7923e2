// token_corr's per-sequence part, in the shard that holds the sequences: each sequence's mean pair cosine
// of its tokens, from the column sums of its unit tokens, |Σ u_i|² = Σ_i |u_i|² + Σ_{i≠j} u_i·u_j, so
// O(T·n) per sequence instead of O(T²·n). Fixed order: rows ascending within a sequence, columns after.
import { STAT_A_SUMSQ, STAT_FIELDS } from '../kernel/layout.js';
import { unitRowFactor } from '../metrics/pairCorrelation.js';
import { ACTIVATIONS } from '../theory/activations.js';
import type { ShardCore } from './shardCore.js';

/** Per sequence of the shard's rows of x (cols wide), the mean cosine over its token pairs; NaN with fewer than 2 nonzero tokens. */
export function sequenceCosines(core: ShardCore, cols: number): Float64Array {
  const k = core.kernel.exports, p = core.plan, f64 = core.mem.f64, tokens = core.config.seqLen;
  const out = new Float64Array(core.rows / tokens);
  core.eachCall((r0, rows) => {
    const x = p.rowAt(p.x, r0);
    // the rows' sums of squares (identity leaves x as it is), then 1/‖row‖ per row, 0 for a zero row
    k.activateWithStats(x, p.rowStride, x, p.rowStride, rows, cols, ACTIVATIONS.identity.code, 0, p.tokenStats, p.scratch);
    for (let r = 0; r < rows; r++) f64[p.rowScaleAt(r0 + r) >>> 3] = unitRowFactor(f64[(p.tokenStats >>> 3) + r * STAT_FIELDS + STAT_A_SUMSQ]);
    k.blockColumnSums(x, p.rowStride, rows, cols, p.rowScaleAt(r0), tokens, p.tokenSums);
    for (let s = 0; s < rows / tokens; s++) {
      let units = 0, squared = 0;
      for (let t = 0; t < tokens; t++) if (f64[p.rowScaleAt(r0 + s * tokens + t) >>> 3] > 0) units++;
      const sums = (p.tokenSums >>> 3) + s * cols;
      for (let c = 0; c < cols; c++) squared += f64[sums + c] * f64[sums + c];
      out[r0 / tokens + s] = units < 2 ? NaN : (squared - units) / (units * (units - 1));
    }
  }, p.sequenceRows);
  return out;
}
