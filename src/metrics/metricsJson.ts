import { layerWidths, type ExperimentConfig } from '../model/config.js';
import type { PatternResult } from './results.js';
import { jsonText } from './jsonText.js';
import type { KernelBuild } from '../model/kernelBuilds.js';
import { EXPERIMENT_KEYS, optionByKey } from '../model/optionTable.js';

// 2: the ziggurat tail fix changes every drawn value; zero_frac may be null.
// 3: the config holds every option that changes results (patterns, backward, the kernel build); predictions beside the measurements.
export const METRICS_VERSION = 3;

/**
 * Everything that changes the results, so that `--config metrics.json` reruns the run: the
 * experiment options by key in table order (patterns as INIT:ACT[:NORM], widths always given, an absent
 * --residual as null), and the
 * kernel build that ran (the relaxed build's fused multiply-add changes the bytes).
 */
export function configRecord(config: ExperimentConfig, build: KernelBuild): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of EXPERIMENT_KEYS) {
    const spec = optionByKey(key), withKey = spec?.recordedWith, value = config[key as keyof ExperimentConfig];
    if (withKey && config[withKey as keyof ExperimentConfig] !== true) continue;
    // the sequence and attention options: only where a run sets them, so every other run keeps its bytes
    if (spec?.recordedUnlessDefault && value === spec.default) continue;
    // an option that may be absent (--residual: plain blocks) is recorded as null
    record[key] = key === 'widths' ? layerWidths(config) : key === 'patterns' ? config.patterns.map((p) => `${p.init}:${p.activation}${p.norm ? `:${p.norm}` : ''}`) : value ?? null;
  }
  record.kernel = build;
  return record;
}

/**
 * metrics.json: the config and the results only — no timings, dates or host facts — so equal
 * runs give byte-identical files.
 */
export function metricsJson(config: ExperimentConfig, patterns: PatternResult[], build: KernelBuild): string {
  return (
    jsonText({
      version: METRICS_VERSION,
      config: configRecord(config, build),
      patterns: patterns.map((p) => ({
        name: p.name,
        init: p.init,
        activation: p.activation,
        overflow_layer: p.overflow_layer,
        underflow_layer: p.underflow_layer,
        input_corr: p.input_corr,
        input_corr_seeds: p.input_corr_seeds,
        phase: p.phase,
        c_map: p.c_map,
        no_theory: p.no_theory,
        layers: p.layers,
        histograms: p.histograms,
        sample_norm_ratio: p.sample_norm_ratio,
        finite_width: p.finite_width,
        seeds: p.seeds,
        bands: p.bands,
        spectrum: p.spectrum,
      })),
    }) + '\n'
  );
}
