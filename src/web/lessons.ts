// The page's lessons: each a preset (page fields by flag, over the live size and the defaults), the tab that
// shows its point, a short explanation, one change to try, and the numbers its text states, each tied to the
// run it shows (test/page/lessons.test.ts runs every preset and checks them). ?lesson=ID opens one.
import type { PatternResult } from '../metrics/results.js';
import { spreadOf } from '../metrics/jacobianSpectrum.js';
import { criticalSigmaW2 } from '../theory/criticality.js';

/** A number a lesson's text states, `shown` exactly as written there, and where the run it shows has it. */
export interface LessonNumber {
  shown: string;
  value: (patterns: PatternResult[]) => number | null | undefined;
  expected: number;
  /** Relative tolerance between the run's value and `expected` (the text rounds). */
  tolerance: number;
}

export interface Lesson {
  id: string;
  title: string;
  /** The fields it sets, by flag; every other field at the page's live size or default. */
  preset: Record<string, string>;
  /** The tab that shows its point: the id of its tab button. */
  tab: string;
  paragraphs: string[];
  /** One change to try, and the numbers its text states, checked against the run with that change. */
  tryThis: { text: string; set: Record<string, string>; numbers?: LessonNumber[] };
  numbers: LessonNumber[];
}

const at = (pattern: number, layer: number, key: string, theory = false) => (patterns: PatternResult[]) => {
  const record = patterns[pattern]?.layers[layer - 1] as unknown as Record<string, unknown> & { theory?: Record<string, unknown> };
  return (theory ? record?.theory?.[key] : record?.[key]) as number | undefined;
};

/** The spread (var/mean²) of JJᵀ's eigenvalues at the last spectrum layer of a pattern, measured or its theory's. */
const spreadAt = (pattern: number, theory = false) => (patterns: PatternResult[]) => {
  const last = patterns[pattern]?.spectrum?.layers.at(-1), of = theory ? last?.theory : last;
  return of ? spreadOf(of) : undefined;
};

export const LESSONS: readonly Lesson[] = [
  {
    id: 'seed',
    title: 'Xavier or He: why ReLU networks need twice the weight variance',
    preset: { depth: '20' },
    tab: 'tab-lines',
    paragraphs: [
      'Each chart follows a statistic of the activations through 20 layers, measured over the whole batch (solid, with markers) over its mean-field theory (dashed). A layer multiplies by W, whose entries have variance σw²/n, so E[z²] = σw²·E[a²] of the layer before. ReLU then zeroes the negative half: E[a²]/E[z²] = 1/2, the halving the ratio chart shows.',
      'Xavier sets σw² = 1. With the identity that keeps E[a²] at 1, but ReLU halves it at every layer: after 20 layers the theory gives 2⁻²⁰ ≈ 9.5·10⁻⁷, and this run measures 1.8·10⁻⁶. He sets σw² = 2, which undoes the halving, so He + ReLU stays at 1 in theory. This narrow run (width 128) wanders to 1.9 by layer 20; the finite-width lesson explains that spread.',
    ],
    tryThis: { text: 'Set depth to 50: Xavier + ReLU falls to 2⁻⁵⁰ ≈ 10⁻¹⁵ while He + ReLU holds.', set: { depth: '50' }, numbers: [{ shown: '2⁻⁵⁰ ≈ 10⁻¹⁵', value: at(1, 50, 'a_ex2', true), expected: 2 ** -50, tolerance: 1e-9 }] },
    numbers: [
      { shown: '2⁻²⁰ ≈ 9.5·10⁻⁷', value: at(1, 20, 'a_ex2', true), expected: 2 ** -20, tolerance: 1e-9 },
      { shown: '1.8·10⁻⁶', value: at(1, 20, 'a_ex2'), expected: 1.8e-6, tolerance: 0.03 },
      { shown: 'wanders to 1.9', value: at(2, 20, 'a_ex2'), expected: 1.9, tolerance: 0.03 },
    ],
  },
  {
    id: 'activations',
    title: 'Each activation needs its own gain',
    preset: { pattern: 'xavier:tanh,xavier:gelu,lecun:selu,xavier:leaky_relu', gain: 'auto', depth: '20' },
    tab: 'tab-lines',
    paragraphs: [
      'These four networks use PyTorch\'s calculate_gain (--gain auto), which multiplies the weights\' std by a number for each activation: 5/3 for tanh, 3/4 for SELU, √(2/(1 + α²)) for leaky ReLU, and 1 for GELU, which it does not list. A gain is right when σw²·E[φ(z)²]/E[z²] keeps E[z²] from shrinking or growing layer after layer.',
      'tanh at 5/3 settles at a fixed point: the theory gives E[a²] = 0.424 at layer 20, and this run measures 0.432. GELU at gain 1 loses about three quarters of E[z²] at every layer, down to 3.2·10⁻¹² at layer 20. SELU self-normalizes only at gain 1, so calculate_gain\'s 3/4 makes it decay to 0.060. Leaky ReLU\'s gain is He\'s for its slope α, which keeps E[a²] at 1.',
    ],
    tryThis: {
      text: 'Set gain to 1: SELU now keeps E[a²] at 1, while tanh shrinks to 0.026 by layer 20.', set: { gain: '1' },
      numbers: [{ shown: 'keeps E[a²] at 1', value: at(2, 20, 'a_ex2', true), expected: 1, tolerance: 1e-6 }, { shown: 'shrinks to 0.026', value: at(0, 20, 'a_ex2', true), expected: 0.026, tolerance: 0.01 }],
    },
    numbers: [
      { shown: 'E[a²] = 0.424', value: at(0, 20, 'a_ex2', true), expected: 0.424, tolerance: 0.002 },
      { shown: 'measures 0.432', value: at(0, 20, 'a_ex2'), expected: 0.432, tolerance: 0.002 },
      { shown: '3.2·10⁻¹²', value: at(1, 20, 'a_ex2', true), expected: 3.2e-12, tolerance: 0.02 },
      { shown: 'decay to 0.060', value: at(2, 20, 'a_ex2', true), expected: 0.06, tolerance: 0.01 },
      { shown: 'keeps E[a²] at 1', value: at(3, 20, 'a_ex2', true), expected: 1, tolerance: 1e-9 },
    ],
  },
  {
    id: 'edge-of-chaos',
    title: 'Order, chaos and the edge between them',
    preset: { pattern: 'xavier:tanh', 'bias-std': '0.2236', gain: '1.327', 'input-corr': '0.5', depth: '20' },
    tab: 'tab-corr',
    paragraphs: [
      'Two inputs whose z have correlation c enter a layer; the c-map gives their correlation after it. Its slope at c = 1, χ₁ = σw²·E[φ′(z)²], decides what depth does to them (Poole et al. 2016). If χ₁ < 1 the network is ordered: every pair of inputs converges on c = 1 and they become indistinguishable. If χ₁ > 1 it is chaotic: nearby inputs are pulled apart to a fixed point c* < 1.',
      'This is tanh with σb² ≈ 0.05 at σw² = 1.761, exactly the critical value: χ₁ = 1.000 and the correlation depth ξ_c, the number of layers over which c forgets where it started, is infinite. The Correlation and phase tab draws the c-map, and its phase diagram over gain × bias-std draws the χ₁ = 1 line.',
    ],
    tryThis: {
      text: 'Set gain to 2 (σw² = 4): chaotic, χ₁ = 1.34, and z_corr falls toward c* = 0.17 with ξ_c = 7.0 layers. Gain 0.8 is ordered: z_corr reaches 1.', set: { gain: '2' },
      numbers: [{ shown: 'χ₁ = 1.34', value: (p) => p[0]?.phase?.chi1, expected: 1.34, tolerance: 0.003 }, { shown: 'c* = 0.17', value: (p) => p[0]?.phase?.c_star, expected: 0.17, tolerance: 0.03 }, { shown: 'ξ_c = 7.0', value: (p) => p[0]?.phase?.xi_c, expected: 7.0, tolerance: 0.003 }],
    },
    numbers: [
      { shown: 'χ₁ = 1.000', value: (p) => p[0]?.phase?.chi1, expected: 1, tolerance: 5e-4 },
      // the preset's gain 1.327 is the critical σw²'s square root at σb² = 0.2236²
      { shown: 'σw² = 1.761', value: () => criticalSigmaW2('tanh', 0.2236 ** 2), expected: 1.761, tolerance: 5e-4 },
      { shown: 'σw² = 1.761', value: () => 1.327 ** 2, expected: 1.761, tolerance: 5e-4 },
    ],
  },
  {
    id: 'gradients',
    title: 'Gradients: the backward pass and χ',
    preset: { pattern: 'xavier:relu,he:relu', backward: '1', depth: '20', 'hist-layers': '1,10,20' },
    tab: 'tab-lines',
    paragraphs: [
      'The backward pass sends a gradient δ from the last layer down. Each layer multiplies its E[δ²] by χ = σw²·E[φ′(z)²]. ReLU\'s φ′ is 1 on half the inputs and 0 on the rest, so E[φ′²] = 1/2. The gradient chart draws E[δz²] from layer 20 (right) down to layer 1 (left).',
      'Xavier + ReLU has χ = 1/2, so its gradient shrinks by half at every layer going down. In theory it reaches 1.0·10⁻⁶ at layer 1, and this run measures 7.6·10⁻⁷. He\'s χ = 1 keeps the gradient level: 0.51 in theory. At finite width the measured steps depart from χ, and this run of width 128 ends at 0.61 at layer 1.',
    ],
    tryThis: {
      text: 'Set width to 512: He + ReLU\'s gradient at layer 1 comes to 0.485, against the theory\'s 0.486.', set: { width: '512' },
      numbers: [{ shown: 'comes to 0.485', value: at(1, 1, 'grad_z_ex2'), expected: 0.485, tolerance: 0.002 }, { shown: 'theory\'s 0.486', value: at(1, 1, 'grad_z_ex2', true), expected: 0.486, tolerance: 0.002 }],
    },
    numbers: [
      { shown: '1.0·10⁻⁶', value: at(0, 1, 'grad_z_ex2', true), expected: 1.04e-6, tolerance: 0.01 },
      { shown: '7.6·10⁻⁷', value: at(0, 1, 'grad_z_ex2'), expected: 7.6e-7, tolerance: 0.01 },
      { shown: '0.51 in theory', value: at(1, 1, 'grad_z_ex2', true), expected: 0.51, tolerance: 0.01 },
      { shown: 'ends at 0.61', value: at(1, 1, 'grad_z_ex2'), expected: 0.61, tolerance: 0.01 },
    ],
  },
  {
    id: 'finite-width',
    title: 'Finite width: seeds, bands and the finite-width law',
    preset: { pattern: 'he:relu', width: '64', seeds: '8', depth: '20', 'hist-layers': '1,10,20' },
    tab: 'tab-lines',
    paragraphs: [
      'Mean-field theory describes infinitely wide layers. At width n, one sample\'s squared norm is multiplied at every layer by a random factor with mean 1 but with log-variance about 5/n (He + ReLU), so after L layers it has spread by about √(5L/n) in ln. Eight seeds draw eight networks: the charts show their median and their 10–90% band.',
      'For E[a²], the mean over a batch, the finite-width law predicts that the seeds\' sd of log10 E[a²] at layer 20 is 0.466 at width 64. It halves each time the width quadruples. Eight seeds only estimate an sd roughly: this run\'s give 0.244. The finite-width figure compares each seed\'s samples with the exact law.',
    ],
    tryThis: { text: 'Set width to 256: the band narrows to about half (the law predicts 0.228).', set: { width: '256' }, numbers: [{ shown: 'predicts 0.228', value: (p) => p[0]?.finite_width?.seed_sd_log10.at(-1), expected: 0.228, tolerance: 0.003 }] },
    numbers: [
      { shown: 'is 0.466', value: (p) => p[0]?.finite_width?.seed_sd_log10.at(-1), expected: 0.466, tolerance: 0.002 },
      {
        shown: 'give 0.244',
        value: (p) => {
          const logs = (p[0]?.seeds ?? []).map((s) => Math.log10(s[19].a_ex2)), mean = logs.reduce((t, v) => t + v, 0) / logs.length;
          return Math.sqrt(logs.reduce((t, v) => t + (v - mean) ** 2, 0) / (logs.length - 1));
        },
        expected: 0.244,
        tolerance: 0.005,
      },
    ],
  },
  {
    id: 'resnet-bn',
    title: 'Residual networks: batch norm, NF and no norm',
    preset: { pattern: 'he:relu:none,he:relu:batch,he:relu:nf', residual: '1', depth: '100', 'hist-layers': '1,50,100' },
    tab: 'tab-spp',
    paragraphs: [
      'A residual block adds its branch to the stream: x ← x + α·f(x). Without a norm the branch is as large as the stream, so E[x²] doubles at every block at α = 1: 2¹⁰⁰ ≈ 1.3·10³⁰ after 100 blocks. The Signal Propagation Plot (Brock et al. 2021) follows the stream\'s average squared channel mean and channel variance block by block.',
      'Batch norm before the branch divides it by the stream\'s own scale, so each block adds about 1: E[x²] grows linearly, 101 in theory after 100 blocks, and this run measures 101.4. NF (normalizer-free) blocks divide by the predicted scale instead of measuring it, with the same linear growth in theory.',
    ],
    tryThis: { text: 'Set residual to 0.2: every norm grows more slowly, and no norm no longer explodes within 100 blocks.', set: { residual: '0.2' } },
    numbers: [
      { shown: '2¹⁰⁰ ≈ 1.3·10³⁰', value: at(0, 100, 'x_ex2', true), expected: 2 ** 100, tolerance: 0.03 },
      { shown: '101 in theory', value: at(1, 100, 'x_ex2', true), expected: 101, tolerance: 1e-6 },
      { shown: 'measures 101.4', value: at(1, 100, 'x_ex2'), expected: 101.4, tolerance: 0.001 },
    ],
  },
  {
    id: 'isometry',
    title: 'Dynamical isometry: the Jacobian\'s spectrum',
    // the spectrum at the last layer, of one input: tanh's free-probability law is the costly part of this run
    preset: { pattern: 'xavier:tanh,orthogonal:tanh,he:relu', spectrum: '1', 'spectrum-inputs': '1', depth: '10', 'hist-layers': '10' },
    tab: 'tab-spectrum',
    paragraphs: [
      'The input–output Jacobian J says how a small change of the input moves the output. Its squared singular values, the eigenvalues of JJᵀ, should all be near one number (isometry) for gradients to pass through every direction alike (Pennington et al. 2017). Their spread is eig_var, the variance over the mean squared.',
      'After 10 layers, Gaussian (Xavier) tanh weights spread the eigenvalues to var/mean² = 10 in this run (free probability: 11.2), while orthogonal ones stay near 1.1. ReLU cannot be isometric even with He weights: its spread grows as 2L, 20 here in theory (this run: 22). The Spectrum tab draws the measured eigenvalues over the theory\'s density.',
    ],
    tryThis: {
      text: 'Set depth to 20: the Gaussian tanh spread doubles to 21, the orthogonal one stays near 1.2.', set: { depth: '20', 'hist-layers': '20' },
      numbers: [0, 1].map((i) => ({ shown: ['doubles to 21', 'stays near 1.2'][i], value: spreadAt(i), expected: [21, 1.2][i], tolerance: [0.01, 0.03][i] })),
    },
    numbers: [
      { shown: 'var/mean² = 10', value: spreadAt(0), expected: 10, tolerance: 0.01 },
      { shown: 'free probability: 11.2', value: spreadAt(0, true), expected: 11.2, tolerance: 0.003 },
      { shown: 'stay near 1.1', value: spreadAt(1), expected: 1.1, tolerance: 0.03 },
      { shown: '20 here in theory', value: spreadAt(2, true), expected: 20, tolerance: 1e-6 },
      { shown: 'this run: 22', value: spreadAt(2), expected: 22, tolerance: 0.01 },
    ],
  },
  {
    id: 'rank-collapse',
    title: 'Rank collapse in transformers',
    preset: { pattern: 'he:relu', block: 'transformer', 'seq-len': '16', heads: '4', batch: '512', width: '64', depth: '24', residual: '1', norm: 'layer' },
    tab: 'tab-transformer',
    paragraphs: [
      'A transformer block mixes the tokens of a sequence: each token\'s output is a weighted mean of the others\' values. token_corr, the mean cosine between a sequence\'s tokens, rises when every block averages them, and at 1 all tokens are one vector (rank collapse: Dong et al. 2021, Noci et al. 2022). attn_entropy says how uniform the attention rows are (1: uniform).',
      'These 24 pre-LN transformer blocks with a skip of strength α = 1 collapse slowly: token_corr is 0.28 after block 1 and 0.96 after block 24 (the infinite-width theory, dashed: 0.958). A skip scaled down by depth, or shaped attention, keeps the tokens apart.',
    ],
    tryThis: { text: 'Set residual to 0.2 (about 1/√24): token_corr rises only to 0.51 by block 24.', set: { residual: '0.2' }, numbers: [{ shown: 'only to 0.51', value: at(0, 24, 'token_corr'), expected: 0.51, tolerance: 0.02 }] },
    numbers: [
      { shown: '0.28 after block 1', value: at(0, 1, 'token_corr'), expected: 0.28, tolerance: 0.02 },
      { shown: '0.96 after block 24', value: at(0, 24, 'token_corr'), expected: 0.96, tolerance: 0.005 },
      { shown: 'dashed: 0.958', value: at(0, 24, 'token_corr', true), expected: 0.958, tolerance: 0.001 },
    ],
  },
];

export const lessonById = (id: string | null): Lesson | undefined => LESSONS.find((l) => l.id === id);
