import { describe, expect, it } from 'vitest';
import { shardRanges } from '../../src/shards/shardRanges.js';
import { CHUNK_ROWS } from '../../src/kernel/memoryPlan.js';

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

  it.each([[1000, 3, 3], [8192, 2, 12], [777, 4, 7], [64, 2, 64], [130, 2, 2]])('batch %i on %i shards with groups of %i rows: every shard starts at a multiple of both the chunk and the group', (batch, shards, group) => {
    const ranges = shardRanges(batch, shards, group);
    const unit = (CHUNK_ROWS * group) / gcd(CHUNK_ROWS, group);
    let next = 0;
    for (const r of ranges) {
      expect(r.rowStart).toBe(next);
      expect(r.rowStart % unit).toBe(0);
      next += r.rows;
    }
    expect(next).toBe(batch);
    // with groups of 1 the split is the one every run had before groups existed
    expect(shardRanges(batch, shards, 1)).toEqual(shardRanges(batch, shards));
  });
});

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
