import { layerWidths, type ExperimentConfig } from '../model/config.js';
import type { PatternResult } from './results.js';
import { jsonText } from './jsonText.js';

export const METRICS_VERSION = 2; // 2: the ziggurat tail fix changes every drawn value; zero_frac may be null

/**
 * metrics.json: the config and the results only — no timings, dates or host facts — so equal
 * runs give byte-identical files.
 */
export function metricsJson(config: ExperimentConfig, patterns: PatternResult[]): string {
  return (
    jsonText({
      version: METRICS_VERSION,
      config: {
        batch: config.batch,
        width: config.width,
        depth: config.depth,
        seed: config.seed,
        histLayers: config.histLayers,
        bins: config.bins,
        widths: layerWidths(config),
        biasStd: config.biasStd,
        gain: config.gain,
        fanMode: config.fanMode,
        leakyAlpha: config.leakyAlpha,
        seeds: config.seeds,
      },
      patterns: patterns.map((p) => ({
        name: p.name,
        init: p.init,
        activation: p.activation,
        overflow_layer: p.overflow_layer,
        underflow_layer: p.underflow_layer,
        layers: p.layers,
        histograms: p.histograms,
        sample_norm_ratio: p.sample_norm_ratio,
        seeds: p.seeds,
        bands: p.bands,
      })),
    }) + '\n'
  );
}
