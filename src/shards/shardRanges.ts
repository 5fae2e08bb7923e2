import { CHUNK_ROWS } from '../kernel/memoryPlan.js';

export interface RowRange {
  rowStart: number;
  rows: number;
}

/**
 * Splits the batch into at most `shards` contiguous ranges of whole CHUNK_ROWS chunks, as even as
 * possible. Results do not depend on the split: statistics are reduced per row in row order.
 */
export function shardRanges(batch: number, shards: number): RowRange[] {
  const chunks = Math.ceil(batch / CHUNK_ROWS);
  const n = Math.max(1, Math.min(shards, chunks));
  const ranges: RowRange[] = [];
  for (let i = 0, chunk = 0; i < n; i++) {
    const take = Math.floor(chunks / n) + (i < chunks % n ? 1 : 0);
    const rowStart = chunk * CHUNK_ROWS;
    chunk += take;
    ranges.push({ rowStart, rows: Math.min(batch, chunk * CHUNK_ROWS) - rowStart });
  }
  return ranges;
}
