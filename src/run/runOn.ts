import type { ShardHandle } from '../experiment/shardProtocol.js';
import { runExperiment } from '../experiment/runExperiment.js';
import { resolveKernelBuild, type KernelBuild } from '../model/kernelBuilds.js';
import { loadWasmKernel } from '../kernel/loadWasmKernel.js';
import type { ExperimentConfig } from '../model/config.js';
import { OptionError, type RunChoices } from '../options/parseOptions.js';
import type { Ran, RunHooks } from './runHooks.js';

/** What differs between runtimes: whether relaxed SIMD runs, how the module is compiled, how worker shards open. */
export interface Runtime {
  hasRelaxedSimd: boolean;
  compile(build: KernelBuild): Promise<WebAssembly.Module>;
  openWorkers(config: ExperimentConfig, threads: number, module: WebAssembly.Module, build: KernelBuild): Promise<ShardHandle[]>;
}

/** build → module → shards → run, on any runtime. */
export async function runOn(runtime: Runtime, { config, threads, kernel }: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  let build: KernelBuild;
  try {
    build = resolveKernelBuild(kernel, runtime.hasRelaxedSimd);
  } catch (error) {
    throw new OptionError('kernel', (error as Error).message); // relaxed asked for where it cannot run
  }
  const { signal } = hooks;
  let openMs = 0;
  hooks.onBuild?.(build);
  const module = await runtime.compile(build);
  signal?.throwIfAborted();
  const running = runExperiment(config, {
    openShards: async (c) => {
      const opening = performance.now();
      const shards = await runtime.openWorkers(c, threads, module, build);
      openMs += performance.now() - opening;
      if (!signal) return shards;
      // a cancel that came while the workers were starting closes them at once; a later one when it comes
      const closeAll = () => shards.forEach((s) => s.close());
      if (signal.aborted) closeAll(), signal.throwIfAborted();
      signal.addEventListener('abort', closeAll, { once: true });
      return shards.map((s) => ({ ...s, close: () => (signal.removeEventListener('abort', closeAll), s.close()) }));
    },
    createKernel: () => loadWasmKernel(module, build),
    onProgress: hooks.onProgress,
    cMap: hooks.cMap,
  });
  // closed workers fail what was pending with their own errors; a cancelled run says it was cancelled
  const patterns = await running.catch((error: unknown) => {
    signal?.throwIfAborted();
    throw error;
  });
  return { build, patterns, openMs };
}
