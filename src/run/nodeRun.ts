// The one run path in Node, for the CLI and the library: build → module → worker threads → run.
import { nodeHasRelaxedSimd, nodeWasmModule } from '../kernel/wasmFile.js';
import type { RunChoices } from '../options/parseOptions.js';
import { nodeWorkerShards } from '../shards/nodeWorkerShards.js';
import type { Ran, RunHooks } from './runHooks.js';
import { runOn } from './runOn.js';

export function nodeRun(choices: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  return runOn({ hasRelaxedSimd: nodeHasRelaxedSimd(), compile: nodeWasmModule, openWorkers: (c, t, m, b) => nodeWorkerShards(c, t, m, b, hooks.poolWorkers === true) }, choices, hooks);
}
