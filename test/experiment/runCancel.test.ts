import { describe, expect, it } from 'vitest';
import type { ShardHandle } from '../../src/experiment/shardProtocol.js';
import { nodeHasRelaxedSimd, nodeWasmModule } from '../../src/kernel/wasmFile.js';
import { parseRunOptions } from '../../src/options/parseOptions.js';
import { runOn, type Runtime } from '../../src/run/runOn.js';
import { nodeWorkerShards } from '../../src/shards/nodeWorkerShards.js';

// A cancel must stop the run wherever it lands. The page once lost a Cancel pressed while the workers
// were still starting: nothing was open to close yet, so the full-size run went on to the end.
const choices = parseRunOptions({ batch: '256', width: '64', depth: '30', threads: '2', kernel: 'simd' }, 2);

/** Node's runtime, with the shards' closes counted and a hook that runs once the workers are up. */
function countingRuntime(onOpened: () => void = () => {}) {
  const closed: ShardHandle[] = [];
  let opened: ShardHandle[] = [];
  const runtime: Runtime = {
    hasRelaxedSimd: nodeHasRelaxedSimd(),
    compile: nodeWasmModule,
    openWorkers: async (...args) => {
      opened = (await nodeWorkerShards(...args)).map((s) => ({ ...s, close: () => (closed.push(s), s.close()) }));
      onOpened();
      return opened;
    },
  };
  return { runtime, closed, opened: () => opened };
}

describe('cancelling a run', () => {
  it('while the workers start: the run rejects with an AbortError and closes every worker, none computes a layer', async () => {
    const controller = new AbortController();
    const { runtime, closed, opened } = countingRuntime(() => controller.abort());
    let layers = 0;
    await expect(runOn(runtime, choices, { signal: controller.signal, onProgress: () => layers++ })).rejects.toMatchObject({ name: 'AbortError' });
    expect(opened()).toHaveLength(2);
    expect(closed).toHaveLength(2);
    expect(layers).toBe(0);
  });

  it('during the layers: it stops within the layer in flight and closes every worker once', async () => {
    const controller = new AbortController();
    const { runtime, closed } = countingRuntime();
    let layers = 0;
    const onProgress = () => {
      if (++layers === 3) controller.abort();
    };
    await expect(runOn(runtime, choices, { signal: controller.signal, onProgress })).rejects.toMatchObject({ name: 'AbortError' });
    // 3 patterns × 30 layers would report 90 layers; the abort at the 3rd leaves at most the one in flight
    expect(layers).toBeLessThanOrEqual(4);
    expect(new Set(closed).size).toBe(2);
  });

  it('before it starts: nothing opens', async () => {
    const controller = new AbortController();
    controller.abort();
    const { runtime, opened } = countingRuntime();
    await expect(runOn(runtime, choices, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(opened()).toHaveLength(0);
  });

  it('left alone, a run with a signal completes and closes each worker once', async () => {
    const { runtime, closed } = countingRuntime();
    const ran = await runOn(runtime, choices, { signal: new AbortController().signal });
    expect(ran.patterns.map((p) => p.layers.length)).toEqual([30, 30, 30]);
    expect(closed).toHaveLength(2);
  });
});
