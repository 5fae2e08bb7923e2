// The one run path in a browser tab: build → module (fetched next to the page) → Web Worker shards → run.
import { runExperiment } from '../experiment/runExperiment.js';
import { KERNEL_BUILDS, resolveKernelBuild, runtimeHasRelaxedSimd } from '../kernel/kernelBuilds.js';
import { loadWasmKernel } from '../kernel/loadWasmKernel.js';
import { OptionError, type RunChoices } from '../options/parseOptions.js';
import { browserWorkerShards } from '../shards/browserWorkerShards.js';
import type { Ran, RunHooks } from './runHooks.js';

export async function browserRun({ config, threads, kernel }: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  const hasRelaxed = runtimeHasRelaxedSimd();
  if (kernel === 'relaxed' && !hasRelaxed) throw new OptionError('kernel', 'kernel relaxed: this browser cannot run relaxed SIMD (use simd or auto)');
  const build = resolveKernelBuild(kernel, hasRelaxed);
  hooks.onBuild?.(build);
  const module = await WebAssembly.compileStreaming(fetch(KERNEL_BUILDS[build].file));
  const patterns = await runExperiment(config, {
    openShards: async (c) => {
      const shards = await browserWorkerShards(c, threads, module, build);
      hooks.onShards?.(shards);
      return shards;
    },
    createKernel: () => loadWasmKernel(module, build),
    onProgress: hooks.onProgress,
  });
  return { build, patterns };
}
