import type { FanMode } from './inits.js';
import type { PatternSpec } from './patterns.js';
import { OPTIONS } from './optionTable.js';
import { ORIGINAL_PATTERNS } from './patterns.js';
import type { NormName } from '../theory/residualStream.js';
import { hasAttention, type AttentionKind, type BlockName } from './blockNames.js';

export interface ExperimentConfig {
  batch: number;
  /** Uniform width (also widths[0] when `widths` is given). */
  width: number;
  depth: number;
  seed: number;
  histLayers: number[];
  bins: number;
  patterns: readonly PatternSpec[];
  /** Per-layer widths: widths[0] the input, widths[l] layer l's output; length depth + 1. */
  widths?: number[];
  /** Standard deviation of the Gaussian bias; 0: no bias (the original). */
  biasStd: number;
  /** Multiplies the weight std; 'auto': the usual table per activation. */
  gain: number | 'auto';
  fanMode: FanMode;
  leakyAlpha: number;
  /** Correlation c₀ of every pair of input rows; 0: independent rows (the original). */
  inputCorr: number;
  /** Seeds seed, seed+1, …, seed+seeds−1 are run (1: just seed). */
  seeds: number;
  /** Normalization N before φ in every block; 'none': today's network. */
  norm: NormName;
  /** Residual blocks h = N(x), a = φ(h), x ← x + α·(a·Wᵀ + b), with this α; absent: plain blocks. */
  residual?: number;
  /** After the forward pass, backpropagate an upstream gradient g ~ N(0, 1) on the last activation. */
  backward: boolean;
  /** After the forward pass, push the input's unit tangents through it: every layer's input–output Jacobian at the first spectrumInputs rows. */
  spectrum: boolean;
  /** --spectrum: the inputs (the batch's first rows) the Jacobian is taken at. */
  spectrumInputs: number;
  /** Consecutive batch rows form sequences of seqLen tokens (1: rows apart, today's networks). */
  seqLen: number;
  /** The network's block: mlp (today's), attention, or transformer (attention, then an MLP sub-block). */
  block: BlockName;
  /** Attention blocks: heads (each width/heads columns), W_Q and W_K's gain g (N(0, g²/width) entries), the causal mask, softmax or shaped. */
  heads: number;
  qkGain: number;
  causal: boolean;
  attention: AttentionKind;
}

/** The original's histogram layers: 1, 5, 10, 20 where they exist, plus the last layer. */
export function defaultHistLayers(depth: number): number[] {
  const layers = [1, 5, 10, 20].filter((l) => l <= depth);
  if (!layers.includes(depth)) layers.push(depth);
  return layers;
}

/** The config the CLI runs with no options: every default from the option table, and `overrides`. */
export function defaultConfig(overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  const defaults: Record<string, unknown> = {};
  for (const o of OPTIONS) if (o.scope === 'experiment' && 'default' in o) defaults[o.key] = o.default;
  const depth = overrides.depth ?? (overrides.widths ? overrides.widths.length - 1 : (defaults.depth as number));
  return {
    ...(defaults as Omit<ExperimentConfig, 'depth' | 'histLayers' | 'patterns'>),
    ...(overrides.widths ? { width: overrides.widths[0] } : {}),
    depth,
    histLayers: defaultHistLayers(depth),
    patterns: ORIGINAL_PATTERNS,
    ...overrides,
  };
}

/** Layer widths: widths[0] is the input, widths[l] the output of layer l. */
export function layerWidths(config: ExperimentConfig): number[] {
  return config.widths ?? Array.from({ length: config.depth + 1 }, () => config.width);
}

/** ε of batch and layer norm: h = (v − μ)/√(σ² + ε). */
export const NORM_EPSILON = 1e-5;

/** A pattern's normalization: its own (INIT:ACT:NORM), else --norm's. */
export function normOf(config: ExperimentConfig, pattern: PatternSpec): NormName {
  return pattern.norm ?? config.norm;
}

/** Whether the config's blocks hold attention (then tokens of a sequence interact, and the length map's theory does not apply). */
export function attentionBlocks(config: ExperimentConfig): boolean {
  return hasAttention(config.block);
}

/** Whether a pattern's blocks differ from today's plain, unnormalized layer (a norm, or residual blocks): then it takes the block path and the residual-stream theory. */
export function patternHasBlocks(config: ExperimentConfig, pattern: PatternSpec): boolean {
  return config.residual !== undefined || normOf(config, pattern) !== 'none';
}

/** Whether any pattern has blocks: then every pattern records its blocks' channel statistics. */
export function hasBlocks(config: ExperimentConfig): boolean {
  return config.patterns.some((p) => patternHasBlocks(config, p));
}

/** The uniform width when the finite-width prediction applies (equal widths, no bias, gain 1, fan in). */
export function finiteWidthPremise(config: ExperimentConfig): number | undefined {
  const widths = layerWidths(config);
  return widths.every((w) => w === widths[0]) && config.biasStd === 0 && config.gain === 1 && config.fanMode === 'in' && !hasBlocks(config) && !attentionBlocks(config) ? widths[0] : undefined;
}
