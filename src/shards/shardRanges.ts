import { CHUNK_ROWS } from '../kernel/memoryPlan.js';

export interface RowRange {
  rowStart: number;
  rows: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Splits the batch into at most `shards` contiguous ranges of whole chunks, as even as possible. A
 * chunk is CHUNK_ROWS rows, or a multiple of it that also holds whole groups of `groupRows` (the rows
 * a block couples: 1 while rows are independent, a sequence's tokens for attention), so no group is
 * split between shards. Results do not depend on the split: statistics are reduced per row in row order.
 */
export function shardRanges(batch: number, shards: number, groupRows = 1): RowRange[] {
  const chunkRows = (CHUNK_ROWS / gcd(CHUNK_ROWS, groupRows)) * groupRows;
  const chunks = Math.ceil(batch / chunkRows);
  const n = Math.max(1, Math.min(shards, chunks));
  const ranges: RowRange[] = [];
  for (let i = 0, chunk = 0; i < n; i++) {
    const take = Math.floor(chunks / n) + (i < chunks % n ? 1 : 0);
    const rowStart = chunk * chunkRows;
    chunk += take;
    ranges.push({ rowStart, rows: Math.min(batch, chunk * chunkRows) - rowStart });
  }
  return ranges;
}
