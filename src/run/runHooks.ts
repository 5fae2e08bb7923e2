import type { Progress } from '../experiment/runExperiment.js';
import type { KernelBuild } from '../model/kernelBuilds.js';
import type { PatternResult } from '../metrics/results.js';

/** What a front door may watch while a run goes. */
export interface RunHooks {
  /** The build is chosen, before anything is compiled. */
  onBuild?: (build: KernelBuild) => void;
  /** Aborting it cancels the run at any point: shards open or about to open are closed, and the run rejects. */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** false: no c_map in the results (a sweep's points). */
  cMap?: boolean;
  /** Node: keep the workers for the next run (a sweep) rather than ending them with the run, which frees their memory. */
  poolWorkers?: boolean;
}

export interface Ran {
  build: KernelBuild;
  patterns: PatternResult[];
  /** Time spent starting (or leasing) workers and instantiating the kernel in them, ms. */
  openMs: number;
}
