import type { Progress } from '../experiment/runExperiment.js';
import type { ShardHandle } from '../experiment/shardProtocol.js';
import type { KernelBuild } from '../kernel/kernelBuilds.js';
import type { PatternResult } from '../metrics/results.js';

/** What a front door may watch while a run goes. */
export interface RunHooks {
  /** The build is chosen, before anything is compiled. */
  onBuild?: (build: KernelBuild) => void;
  /** The shards are open: a front door that can cancel keeps them to close. */
  onShards?: (shards: ShardHandle[]) => void;
  onProgress?: (progress: Progress) => void;
}

export interface Ran {
  build: KernelBuild;
  patterns: PatternResult[];
}
