// The one run path in a browser tab: build → module (fetched next to the page) → Web Workers → run.
import { KERNEL_BUILDS, runtimeHasRelaxedSimd } from '../kernel/kernelBuilds.js';
import type { RunChoices } from '../options/parseOptions.js';
import { browserWorkerShards } from '../shards/browserWorkerShards.js';
import type { Ran, RunHooks } from './runHooks.js';
import { runOn } from './runOn.js';

export function browserRun(choices: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  const compile = (build: keyof typeof KERNEL_BUILDS) => WebAssembly.compileStreaming(fetch(KERNEL_BUILDS[build].file));
  return runOn({ hasRelaxedSimd: runtimeHasRelaxedSimd(), compile, openWorkers: browserWorkerShards }, choices, hooks);
}
