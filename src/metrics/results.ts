import type { ActivationName } from '../theory/activations.js';
import type { LayerTheory } from '../theory/lengthMap.js';
import type { PhaseTheory } from '../theory/correlationMap.js';
import type { InitName } from '../model/patterns.js';

/** One layer's statistics; field names are those of the original script and of metrics.json. */
export interface LayerRecord {
  layer: number;
  x_ex2: number;
  z_ex2: number;
  a_ex2: number;
  /** a_ex2 / z_ex2, null when z_ex2 = 0. */
  relu_ex2_ratio: number | null;
  zero_frac: number | null;
  z_mean: number;
  z_var: number;
  a_mean: number;
  a_var: number;
  z_min: number;
  z_max: number;
  a_min: number;
  a_max: number;
  /**
   * The mean cosine similarity of z (and of a) over all pairs of batch rows, rows of zero length left
   * out; null with fewer than 2 such rows or where a row overflowed.
   */
  z_corr?: number | null;
  a_corr?: number | null;
  /**
   * Blocks with a norm or a residual (Brock et al.'s Signal Propagation Plot): of the block's output x,
   * the mean over channels of (the channel's batch mean)² and of its batch variance (their sum is E[x²]);
   * residual blocks: the branch r's mean channel variance; with a norm, E[h²] of φ's input h (the z fields
   * describe h, φ's input, in every block).
   */
  x_sq_ch_mean?: number;
  x_ch_var?: number;
  branch_ch_var?: number;
  h_ex2?: number;
  /** LSUV only: rescaling passes until Var(z) = 1 ± 0.01 (at most 10). */
  lsuv_passes?: number;
  /** --seq-len T > 1: the mean pair cosine of a sequence's tokens in the block's output x, averaged over sequences. */
  token_corr?: number | null;
  /** Attention blocks: the mean entropy of the attention rows divided by log T (1: uniform attention; null for T = 1). */
  attn_entropy?: number | null;
  /** What the mean-field length map predicts for this layer. */
  theory?: LayerTheory;
  /** --backward: E[(δz)²], E[(δa)²] of this layer and E[G²] over its weight gradient's entries. */
  grad_z_ex2?: number;
  grad_a_ex2?: number;
  grad_w_ex2?: number;
  /** --backward, attention blocks: E[G²] over the entries of W_Q's, W_K's, W_V's and W_O's gradients (G = δᵀ·input/B, as every layer's). */
  grad_wq_ex2?: number;
  grad_wk_ex2?: number;
  grad_wv_ex2?: number;
  grad_wo_ex2?: number;
  /** --backward, residual blocks: E[(δx)²] of the stream at the block's output. */
  grad_x_ex2?: number;
  /** --spectrum: E‖J‖²_F/n₀ of the input–output Jacobian at this layer, over the --spectrum-inputs inputs. */
  jacobian_sq_mean?: number;
  /** --backward: mean-field χ of the step down from this layer, E[(δz^{l−1})²]/E[(δz^l)²] = σw²·(n_out/n_in)·E[φ′(z^{l−1})²]. */
  grad_chi?: number | null;
}

export interface Quantiles {
  p10: number | null;
  median: number | null;
  p90: number | null;
}

/** --seeds N > 1: per layer, the 10th, 50th and 90th percentiles across seeds. */
export interface LayerBand {
  layer: number;
  a_ex2: Quantiles;
  z_ex2: Quantiles;
  relu_ex2_ratio: Quantiles;
  zero_frac: Quantiles;
  z_corr: Quantiles;
  /** --backward: E[(δz)²]; residual blocks: E[(δx)²] of the stream. */
  grad_z_ex2?: Quantiles;
  grad_x_ex2?: Quantiles;
  /** Blocks: the SPP's statistics. */
  x_sq_ch_mean?: Quantiles;
  x_ch_var?: Quantiles;
  branch_ch_var?: Quantiles;
  /** --seq-len, attention blocks: the tokens' statistics. */
  token_corr?: Quantiles;
  attn_entropy?: Quantiles;
}

export interface Histogram {
  edges: number[];
  counts: number[];
  /** The counts per bin the analytic law predicts (absent where there is none: a non-monotone φ, or no finite E[z²]). */
  expected?: number[];
  /** The law's point masses (ReLU's ½ at 0) and the counts they predict. */
  atoms?: { at: number; p: number; count: number }[];
}

export interface LayerHistograms {
  layer: number;
  z: Histogram;
  a: Histogram;
}

export interface PatternResult {
  name: string;
  init: InitName;
  activation: ActivationName;
  /** First layer whose z left the float32 range (inf or NaN): later values are null in JSON. */
  overflow_layer: number | null;
  /** First layer whose activations are all exactly 0 (float32 underflow or a dead net). */
  underflow_layer: number | null;
  /** The mean pair cosine of the input rows x (about --input-corr). */
  input_corr?: number | null;
  /** --seeds N > 1: every seed's input_corr (the first is input_corr): each seed draws its own input. */
  input_corr_seeds?: (number | null)[];
  /** Where the pattern sits between order and chaos: q*, c*, χ₁, χ_c, ξ_c (null where undefined). */
  phase?: PhaseTheory;
  /** The correlation map C(c) at q (q* where it is positive and finite, else the last layer's q), on a grid of c. */
  c_map?: { q: number; c: number[]; next: number[] } | null;
  /** Why the layers carry no theory, where a config has none (attention at qk-gain > 0, causal, shaped); figures say so. */
  no_theory?: string;
  layers: LayerRecord[];
  histograms: LayerHistograms[];
  /** Every pattern: per sample of the batch, log10(‖aᴸ‖²/‖x‖²) at the last layer, binned (all seeds pooled). */
  sample_norm_ratio?: Histogram;
  /** He + ReLU at uniform width: the finite-width law's counts for sample_norm_ratio's bins (the exact law, by FFT convolution: finiteWidth.ts). */
  finite_width?: {
    width: number;
    /** Counts per bin for samples through fresh draws of W: the exact law of one sample (finiteWidth.ts). */
    expected: number[];
    /** Per layer: sd of log10 of one sample's ratio (the law's), and of log10 E[a²] across seeds (the band drawn; finiteWidthBatch.ts). */
    sample_sd_log10: number[];
    seed_sd_log10: number[];
    /** Given each seed's W: the samples around their seed's mean log ratio (`centres`, measured), spread `sd_log10`; counts per bin. */
    given_w?: { sd_log10: number; centres: number[]; expected: number[] };
  };
  /** --seeds N > 1: every seed's records (the first is `layers`) and their 10–50–90% bands. */
  seeds?: LayerRecord[][];
  bands?: LayerBand[];
  /** --spectrum: the eigenvalues of JJᵀ at the histogram layers (the first seed's). */
  spectrum?: PatternSpectrum;
}

/** --spectrum: one layer's pooled eigenvalues of JJᵀ, summarized. */
export interface MeasuredSpectrum {
  eig_mean: number;
  eig_var: number;
  eig_max: number;
  eig_min: number;
  /** Eigenvalues at or below 1e-12 of the largest: zero within the float32 tangents' rounding; outside the log histogram. */
  zeros: number;
  log10_edges: number[];
  counts: number[];
}

/** --spectrum: what was measured and how, and per histogram layer the pooled eigenvalues of the inputs' JJᵀ. */
export interface PatternSpectrum {
  inputs: number;
  note: string;
  layers: SpectrumRecord[];
  /** --seeds: per spectrum layer, the 10/50/90% across seeds of var/mean² and of the largest eigenvalue. */
  bands?: SpectrumBand[];
}

export interface SpectrumBand {
  layer: number;
  spread: Quantiles;
  eig_max: Quantiles;
}

export interface SpectrumRecord extends MeasuredSpectrum {
  layer: number;
  /** Free probability (equal widths, plain blocks; null otherwise): the mean Π χ, the variance, the right edge of the support, and the density of log10 λ over the nonzero eigenvalues on the grid log10_lambda (null where the nonzero part is a single atom). */
  theory: SpectrumTheory | null;
}

export interface SpectrumTheory {
  eig_mean: number;
  eig_var: number;
  eig_max: number;
  /** Points of log10 λ: the measured histogram's range widened by two bins each side (and up to log10 eig_max), four per bin. */
  log10_lambda: number[] | null;
  /** The density of log10 λ given λ > 0 at those points: it integrates to 1 over all λ > 0. */
  density: number[] | null;
  /** The fraction of eigenvalues at 0 (ReLU's ½: free products keep the largest atom at 0 of their factors). */
  zero_fraction: number;
}
