// The one run path in Node, for the CLI and the library: build → module → worker threads → run.
import { nodeHasRelaxedSimd, nodeWasmModule } from '../kernel/wasmFile.js';
import type { RunChoices } from '../options/parseOptions.js';
import { endIdleWorkers, nodeWorkerShards } from '../shards/nodeWorkerShards.js';
import type { Ran, RunHooks } from './runHooks.js';
import { runOn } from './runOn.js';

export async function nodeRun(choices: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  try {
    // the seeds of a run reuse its workers
    return await runOn({ hasRelaxedSimd: nodeHasRelaxedSimd(), compile: nodeWasmModule, openWorkers: nodeWorkerShards }, choices, hooks);
  } finally {
    // then their memory goes before the figures are drawn, unless a sweep keeps them for its next point
    if (hooks.poolWorkers !== true) await endIdleWorkers();
  }
}
