import { describe, expect, it } from 'vitest';
import { parseRunOptions } from '../../src/options/parseOptions.js';
import { nodeRun } from '../../src/run/nodeRun.js';
import { pooledWorkerCount } from '../../src/shards/nodeWorkerShards.js';

// A worker kept idle holds its shard's WASM memory (at the default run, two 16 MB batch buffers and
// more each) while the figures are drawn: the default run's peak RSS grew from ~220 MB to ~335 MB so.
describe('worker threads after a run', () => {
  it('a single run ends its workers, so none holds a shard\'s memory afterwards', async () => {
    await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2));
    expect(pooledWorkerCount()).toBe(0);
  });

  it('runs that ask for the pool (a sweep\'s points) hand their workers back for the next run', async () => {
    await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2), { poolWorkers: true });
    expect(pooledWorkerCount()).toBe(2);
    await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2), { poolWorkers: true });
    expect(pooledWorkerCount()).toBe(2);
  });
});
