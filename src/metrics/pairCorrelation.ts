// The mean cosine similarity over all pairs of batch rows, in O(B·n): with uᵢ the unit rows,
// ‖Σᵢ uᵢ‖² = Σᵢ ‖uᵢ‖² + Σ_{i≠j} uᵢ·uⱼ = m + m(m−1)·(mean pair cosine) over m rows.

/**
 * The factor that makes a row with this sum of squares a unit vector; 0 leaves the row out: an
 * all-zero row has no direction, and an overflowed one no finite length.
 */
export function unitRowFactor(sumSq: number): number {
  return sumSq > 0 && sumSq < Infinity ? 1 / Math.sqrt(sumSq) : 0;
}

/**
 * (‖Σᵢ uᵢ‖² − m) / (m(m−1)) from the shards' per-block column sums of the unit rows, `parts` in
 * batch-row order (so the totals are the same for any split), over the `units` rows with a factor.
 * Null where it is undefined: fewer than 2 such rows, or a row left out for overflowing (`complete` false).
 */
export function meanPairCosine(parts: readonly Float64Array[], cols: number, units: number, complete: boolean): number | null {
  if (!complete || units < 2) return null;
  const total = new Float64Array(cols);
  for (const blocks of parts) {
    for (let at = 0; at < blocks.length; at += cols) for (let j = 0; j < cols; j++) total[j] += blocks[at + j];
  }
  let squared = 0;
  for (let j = 0; j < cols; j++) squared += total[j] * total[j];
  return (squared - units) / (units * (units - 1));
}
