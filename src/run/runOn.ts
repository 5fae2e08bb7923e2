import type { ShardHandle } from '../experiment/shardProtocol.js';
import { runExperiment } from '../experiment/runExperiment.js';
import { resolveKernelBuild, type KernelBuild } from '../kernel/kernelBuilds.js';
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
  hooks.onBuild?.(build);
  const module = await runtime.compile(build);
  const patterns = await runExperiment(config, {
    openShards: async (c) => {
      const shards = await runtime.openWorkers(c, threads, module, build);
      hooks.onShards?.(shards);
      return shards;
    },
    createKernel: () => loadWasmKernel(module, build),
    onProgress: hooks.onProgress,
  });
  return { build, patterns };
}
