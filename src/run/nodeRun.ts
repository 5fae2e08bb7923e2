// The one run path in Node, for the CLI and the library: build → module → worker shards → run.
import { runExperiment } from '../experiment/runExperiment.js';
import { resolveKernelBuild } from '../kernel/kernelBuilds.js';
import { loadWasmKernel } from '../kernel/loadWasmKernel.js';
import { nodeHasRelaxedSimd, nodeWasmModule } from '../kernel/wasmFile.js';
import { OptionError, type RunChoices } from '../options/parseOptions.js';
import { nodeWorkerShards } from '../shards/nodeWorkerShards.js';
import type { Ran, RunHooks } from './runHooks.js';

export async function nodeRun({ config, threads, kernel }: RunChoices, hooks: RunHooks = {}): Promise<Ran> {
  const hasRelaxed = nodeHasRelaxedSimd();
  if (kernel === 'relaxed' && !hasRelaxed) throw new OptionError('kernel', '--kernel relaxed: this runtime cannot run relaxed SIMD (use simd or auto)');
  const build = resolveKernelBuild(kernel, hasRelaxed);
  hooks.onBuild?.(build);
  const module = await nodeWasmModule(build);
  const patterns = await runExperiment(config, {
    openShards: async (c) => {
      const shards = await nodeWorkerShards(c, threads, module, build);
      hooks.onShards?.(shards);
      return shards;
    },
    createKernel: () => loadWasmKernel(module, build),
    onProgress: hooks.onProgress,
  });
  return { build, patterns };
}
