import { layerWidths, type ExperimentConfig } from '../model/config.js';
import type { PatternResult } from './results.js';
import { jsonText } from './jsonText.js';
import { EXPERIMENT_KEYS } from '../model/optionTable.js';

export const METRICS_VERSION = 2; // 2: the ziggurat tail fix changes every drawn value; zero_frac may be null

/** The options that change results, by key in table order; the patterns are listed with their results, and widths are always given. */
export function configRecord(config: ExperimentConfig): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of EXPERIMENT_KEYS) if (key !== 'patterns') record[key] = key === 'widths' ? layerWidths(config) : config[key as keyof ExperimentConfig];
  return record;
}

/**
 * metrics.json: the config and the results only — no timings, dates or host facts — so equal
 * runs give byte-identical files.
 */
export function metricsJson(config: ExperimentConfig, patterns: PatternResult[]): string {
  return (
    jsonText({
      version: METRICS_VERSION,
      config: configRecord(config),
      patterns: patterns.map((p) => ({
        name: p.name,
        init: p.init,
        activation: p.activation,
        overflow_layer: p.overflow_layer,
        underflow_layer: p.underflow_layer,
        layers: p.layers,
        histograms: p.histograms,
        sample_norm_ratio: p.sample_norm_ratio,
        finite_width: p.finite_width,
        seeds: p.seeds,
        bands: p.bands,
      })),
    }) + '\n'
  );
}
