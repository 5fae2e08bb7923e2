// The one run path in a browser tab: build → module (fetched next to the page) → Web Workers → run.
import { KERNEL_BUILDS, runtimeHasRelaxedSimd } from '../model/kernelBuilds.js';
import type { RunChoices } from '../options/parseOptions.js';
import { browserWorkerShards } from '../shards/browserWorkerShards.js';
import type { Ran, RunHooks } from './runHooks.js';
import { runOn } from './runOn.js';
import { compileKernelFile } from '../pageAssets.js';

/** Each build is fetched and compiled once per page (~30–50 ms each time otherwise). */
const compiled = new Map<keyof typeof KERNEL_BUILDS, Promise<WebAssembly.Module>>();
function compile(build: keyof typeof KERNEL_BUILDS): Promise<WebAssembly.Module> {
  let module = compiled.get(build);
  if (!module) {
    module = compileKernelFile(KERNEL_BUILDS[build].file);
    // a failed fetch is not kept: the next run tries again
    module.catch(() => compiled.delete(build));
    compiled.set(build, module);
  }
  return module;
}

export function browserRun(choices: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  return runOn({ hasRelaxedSimd: runtimeHasRelaxedSimd(), compile, openWorkers: browserWorkerShards }, choices, hooks);
}
