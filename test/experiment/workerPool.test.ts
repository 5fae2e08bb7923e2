import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { parseRunOptions } from '../../src/options/parseOptions.js';
import { nodeRun } from '../../src/run/nodeRun.js';
import { pooledWorkerCount } from '../../src/shards/nodeWorkerShards.js';

const originalTerminate = Worker.prototype.terminate;

// A worker kept idle holds its shard's WASM memory (at the default run, two 16 MB batch buffers and
// more each) while the figures are drawn: the default run's peak RSS grew from ~220 MB to ~335 MB so.
describe('worker threads after a run', () => {
  it('a single run ends its workers, so none holds a shard\'s memory afterwards', async () => {
    await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2));
    expect(pooledWorkerCount()).toBe(0);
  });

  // a thread still exiting holds its shard's memory, which the figures drawn next would add to their own peak
  it('a single run resolves only once its worker threads have exited', async () => {
    const exited: boolean[] = [];
    const terminate = vi.spyOn(Worker.prototype, 'terminate').mockImplementation(function (this: Worker) {
      const at = exited.push(false) - 1;
      return originalTerminate.call(this).then((code) => ((exited[at] = true), code));
    });
    try {
      await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2));
      expect(exited).toEqual([true, true]);
    } finally {
      terminate.mockRestore();
    }
  });

  it('runs that ask for the pool (a sweep\'s points) hand their workers back for the next run', async () => {
    await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2), { poolWorkers: true });
    expect(pooledWorkerCount()).toBe(2);
    await nodeRun(parseRunOptions({ batch: '128', width: '16', depth: '2', threads: '2', kernel: 'simd' }, 2), { poolWorkers: true });
    expect(pooledWorkerCount()).toBe(2);
  });
});
