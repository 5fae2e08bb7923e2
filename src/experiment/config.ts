import type { PatternSpec } from './patterns.js';
import { ORIGINAL_PATTERNS } from './patterns.js';

export interface ExperimentConfig {
  batch: number;
  width: number;
  depth: number;
  seed: number;
  histLayers: number[];
  bins: number;
  patterns: readonly PatternSpec[];
}

/** The original's histogram layers: 1, 5, 10, 20 where they exist, plus the last layer. */
export function defaultHistLayers(depth: number): number[] {
  const layers = [1, 5, 10, 20].filter((l) => l <= depth);
  if (!layers.includes(depth)) layers.push(depth);
  return layers;
}

export function defaultConfig(overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  const depth = overrides.depth ?? 20;
  return {
    batch: 8192,
    width: 1024,
    depth,
    seed: 0,
    histLayers: defaultHistLayers(depth),
    bins: 60,
    patterns: ORIGINAL_PATTERNS,
    ...overrides,
  };
}

/** Layer widths: widths[0] is the input, widths[l] the output of layer l. */
export function layerWidths(config: ExperimentConfig): number[] {
  return Array.from({ length: config.depth + 1 }, () => config.width);
}
