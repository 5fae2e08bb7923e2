import { describe, expect, it } from 'vitest';
import { shardRanges } from '../src/shards/shardRanges.js';
import { CHUNK_ROWS } from '../src/kernel/memoryPlan.js';

describe('shardRanges(batch, shards)', () => {
  it.each([[1, 1], [1, 4], [64, 2], [200, 3], [8192, 2], [8192, 3], [1000, 7]])('covers batch %i with %i shards in whole chunks', (batch, shards) => {
    const ranges = shardRanges(batch, shards);
    expect(ranges.length).toBe(Math.min(shards, Math.ceil(batch / CHUNK_ROWS)));
    let next = 0;
    for (const r of ranges) {
      expect(r.rowStart).toBe(next);
      expect(r.rowStart % CHUNK_ROWS).toBe(0);
      expect(r.rows).toBeGreaterThan(0);
      next += r.rows;
    }
    expect(next).toBe(batch);
    const sizes = ranges.map((r) => Math.ceil(r.rows / CHUNK_ROWS));
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});
