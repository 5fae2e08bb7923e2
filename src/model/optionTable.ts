// The one table of options. The CLI's flags and --help, the library's RunOptions (keys and types),
// the page's form and URL query, the defaults, metrics.json's config and the README's option table
// are all derived from (or, for the README, checked against) this list. No Node or DOM imports here.
import { KERNEL_CHOICES } from './kernelBuilds.js';
import { ACTIVATION_NAMES } from '../theory/activations.js';
import { FAN_MODES, INIT_NAMES } from './inits.js';
import { LEAKY_ALPHA_DEFAULT } from '../theory/activations.js';
import { NORMS } from '../theory/residualStream.js';
import { ATTENTION_KINDS, BLOCK_NAMES } from './blockNames.js';

export type OptionKind = 'integer' | 'number' | 'numberOrAuto' | 'integerList' | 'choice' | 'choiceList' | 'patterns' | 'boolean' | 'text';

/**
 * Where an option acts: `experiment` changes the results (so it is in metrics.json's config),
 * `run` only how they are computed (threads, kernel build), `figures` only how they are drawn,
 * `cli` only the command line's own behaviour, `sweep` only `relu-spread-check sweep`'s.
 */
export type OptionScope = 'experiment' | 'run' | 'figures' | 'cli' | 'sweep';

export interface OptionSpec {
  /** The CLI flag without "--"; also the page's field name and URL query name. */
  readonly flag: string;
  /** The library's key (camelCase) and, for experiment options, the key in ExperimentConfig and metrics.json. */
  readonly key: string;
  readonly kind: OptionKind;
  readonly scope: OptionScope;
  readonly help: string;
  /** What --help shows after the flag (N, V, DIR, …); booleans show nothing. */
  readonly placeholder?: string;
  readonly min?: number;
  readonly max?: number;
  /** The range excludes min: (min, max]. */
  readonly minExclusive?: boolean;
  readonly choices?: readonly string[];
  /** The parsed default; undefined where it is computed (depth-dependent, the machine's cores) or absent. */
  readonly default?: number | string | boolean | readonly string[];
  /** The default as people read it, where the value alone does not say it. */
  readonly defaultText?: string;
  /** The allowed values as people read them, where the kind and range do not say it. */
  readonly allowedText?: string;
  /** How the page shows it; absent: not on the page. */
  readonly page?: 'number' | 'text' | 'select' | 'checkbox';
  /** The page's label. */
  readonly label?: string;
  /** The page's fieldset. */
  readonly group?: 'network' | 'run' | 'patterns' | 'transformer';
  /** The page's slider beside the field: a sub-range to explore (typing still reaches the whole range); `powersOfTwo` steps over 2^min … 2^max. */
  readonly slider?: { readonly min: number; readonly max: number; readonly step?: number; readonly powersOfTwo?: true };
  /** The page's URL query name where it is not the flag (links made by earlier versions use these). */
  readonly query?: string;
  /** A one-letter CLI alias (-h). */
  readonly short?: string;
  /** `relu-spread-check sweep` may sweep it: START:STOP:COUNT or a list V,V,… instead of one value. */
  readonly sweep?: true;
  /** It shapes only the histograms, which a sweep does not keep: `sweep` refuses it. */
  readonly histogramsOnly?: true;
  /** metrics.json's config holds it only when this boolean option (its key) is on, so runs without that measurement keep their bytes. */
  readonly recordedWith?: string;
  /** metrics.json's config holds it only when it differs from its default, so runs that leave it keep their bytes. */
  readonly recordedUnlessDefault?: true;
  /** It shapes only attention blocks: refused with --block mlp. */
  readonly attentionOnly?: true;
}

export const OPTIONS = [
  { flag: 'batch', key: 'batch', sweep: true, kind: 'integer', scope: 'experiment', placeholder: 'N', min: 1, max: 1_048_576, default: 8192, help: 'batch rows B (samples pushed through the net)', page: 'number', label: 'batch', group: 'network', slider: { min: 4, max: 13, powersOfTwo: true } },
  { flag: 'width', key: 'width', sweep: true, kind: 'integer', scope: 'experiment', placeholder: 'N', min: 1, max: 32_768, default: 1024, help: 'width n of every layer (fan-in = fan-out = n)', page: 'number', label: 'width', group: 'network', slider: { min: 4, max: 11, powersOfTwo: true } },
  { flag: 'depth', key: 'depth', sweep: true, kind: 'integer', scope: 'experiment', placeholder: 'N', min: 1, max: 1000, default: 20, help: 'number of layers L', page: 'number', label: 'depth', group: 'network', slider: { min: 1, max: 100 } },
  { flag: 'seed', key: 'seed', kind: 'integer', scope: 'experiment', placeholder: 'N', min: 0, max: 4_294_967_295, default: 0, help: 'seed of the counter-based RNG', page: 'number', label: 'seed', group: 'network' },
  { flag: 'hist-layers', key: 'histLayers', histogramsOnly: true, kind: 'integerList', scope: 'experiment', placeholder: 'V', min: 1, allowedText: 'integers in 1 … depth, or all', defaultText: '1,5,10,20 where ≤ depth, plus the depth', help: 'layers to histogram (all: every layer, which also draws the depth view)', page: 'text', label: 'hist-layers (histogram layers)', group: 'run', query: 'histLayers' },
  { flag: 'bins', key: 'bins', histogramsOnly: true, kind: 'integer', scope: 'experiment', placeholder: 'N', min: 1, max: 10_000, default: 60, help: 'histogram bins per panel', page: 'number', label: 'bins', group: 'run' },
  {
    flag: 'pattern', key: 'patterns', kind: 'patterns', scope: 'experiment', placeholder: 'INIT:ACT',
    defaultText: "the original's xavier:identity, xavier:relu, he:relu",
    help: `a pattern to run, repeatable; INIT ∈ ${INIT_NAMES.join(' ')}, ACT ∈ ${ACTIVATION_NAMES.join(' ')}`, page: 'text', label: 'pattern (INIT:ACT, …)', group: 'patterns',
  },
  { flag: 'widths', key: 'widths', kind: 'integerList', scope: 'experiment', placeholder: 'V', min: 1, max: 32_768, allowedText: 'integers in 1 … 32768, at least 2', defaultText: 'none', help: 'per-layer widths n0,n1,…,nL (input first); replaces --width and sets the depth', page: 'text', label: 'widths', group: 'patterns' },
  { flag: 'bias-std', key: 'biasStd', sweep: true, kind: 'number', scope: 'experiment', placeholder: 'V', min: 0, max: 100, default: 0, defaultText: '0 (no bias)', help: 'standard deviation σb of a Gaussian bias per layer', page: 'text', label: 'bias-std (σb)', group: 'patterns', slider: { min: 0, max: 1, step: 0.01 } },
  {
    flag: 'gain', key: 'gain', sweep: true, kind: 'numberOrAuto', scope: 'experiment', placeholder: 'V', min: 0, max: 100, minExclusive: true, default: 1,
    help: "multiplies the weight std; auto is PyTorch's calculate_gain (1 identity, √2 relu, √(2/(1+α²)) leaky_relu, 5/3 tanh, 1 sigmoid, 3/4 selu) and 1 for he; SELU self-normalizes only at gain 1, not at auto's 3/4", page: 'text', label: 'gain', group: 'patterns', slider: { min: 0.05, max: 3, step: 0.05 },
  },
  { flag: 'fan-mode', key: 'fanMode', kind: 'choice', scope: 'experiment', placeholder: 'V', choices: FAN_MODES, default: 'in', allowedText: 'in or out', help: 'fan used by he', page: 'select', label: 'fan-mode', group: 'patterns' },
  { flag: 'leaky-alpha', key: 'leakyAlpha', sweep: true, kind: 'number', scope: 'experiment', placeholder: 'V', min: 0, max: 1, default: LEAKY_ALPHA_DEFAULT, help: 'negative slope α of leaky_relu', page: 'text', label: 'leaky-alpha (α)', group: 'patterns', slider: { min: 0, max: 1, step: 0.01 } },
  {
    flag: 'input-corr', key: 'inputCorr', kind: 'number', scope: 'experiment', placeholder: 'C', min: 0, max: 1, default: 0, defaultText: '0 (independent rows)',
    help: 'correlation c₀ of every pair of inputs: row i of x is √c₀·g + √(1−c₀)·ξᵢ with g shared by all rows', page: 'text', label: 'input-corr (c₀)', group: 'patterns', slider: { min: 0, max: 1, step: 0.01 },
  },
  {
    flag: 'norm', key: 'norm', kind: 'choice', scope: 'experiment', placeholder: 'N', choices: NORMS, default: 'none',
    help: 'normalization N before φ: batch (per channel over the whole batch, ε = 1e-5), layer (per row), nf (divide by the predicted √E[x²], Brock et al.\'s β) or none', page: 'select', label: 'norm', group: 'patterns',
  },
  {
    flag: 'residual', key: 'residual', sweep: true, kind: 'number', scope: 'experiment', placeholder: 'α', min: 0, max: 10, minExclusive: true, defaultText: 'none (plain blocks)', allowedText: 'a number in (0, 10]',
    help: 'pre-activation residual blocks x ← x + α·φ(N(x))·Wᵀ (uniform width; not with --widths)', page: 'text', label: 'residual (α)', group: 'patterns', slider: { min: 0.05, max: 1.5, step: 0.05 },
  },
  { flag: 'seq-len', key: 'seqLen', kind: 'integer', scope: 'experiment', placeholder: 'T', min: 1, max: 4096, default: 1, recordedUnlessDefault: true, defaultText: '1 (rows apart)', help: 'consecutive batch rows form sequences of T tokens (T divides the batch); token_corr is recorded per block when T > 1', page: 'number', label: 'seq-len (tokens T)', group: 'transformer' },
  {
    flag: 'block', key: 'block', kind: 'choice', scope: 'experiment', placeholder: 'V', choices: BLOCK_NAMES, default: 'mlp', recordedUnlessDefault: true,
    help: "the network's block: mlp (today's layers), attention (an attention sub-block; without --residual x is replaced by its output, Dong et al.'s pure attention) or transformer (attention, then an MLP sub-block with the pattern's φ)", page: 'select', label: 'block', group: 'transformer',
  },
  { flag: 'heads', key: 'heads', kind: 'integer', scope: 'experiment', placeholder: 'H', min: 1, max: 4096, default: 1, recordedUnlessDefault: true, attentionOnly: true, help: 'attention heads H of width/H columns each (H divides the width)', page: 'number', label: 'heads', group: 'transformer' },
  { flag: 'qk-gain', key: 'qkGain', sweep: true, kind: 'number', scope: 'experiment', placeholder: 'g', min: 0, max: 100, default: 1, recordedUnlessDefault: true, attentionOnly: true, help: 'W_Q and W_K have N(0, g²/width) entries; 0 gives uniform attention (every head outputs its sequence\'s mean of V)', page: 'text', label: 'qk-gain (g)', group: 'transformer', slider: { min: 0, max: 3, step: 0.05 } },
  { flag: 'causal', key: 'causal', kind: 'boolean', scope: 'experiment', default: false, recordedUnlessDefault: true, attentionOnly: true, help: 'attention masks future tokens (token i attends to tokens 1 … i)', page: 'checkbox', label: 'causal', group: 'transformer' },
  {
    flag: 'attention', key: 'attention', kind: 'choice', scope: 'experiment', placeholder: 'V', choices: ATTENTION_KINDS, default: 'softmax', recordedUnlessDefault: true, attentionOnly: true,
    help: 'softmax, or shaped (Noci et al. 2023: the identity plus the centred softmax, its logits divided by a temperature √width)', page: 'select', label: 'attention', group: 'transformer',
  },
  { flag: 'seeds', key: 'seeds', kind: 'integer', scope: 'experiment', placeholder: 'N', min: 1, max: 256, default: 1, help: 'run seeds seed … seed+N−1; line charts show the median and the 10–90% band', page: 'number', label: 'seeds', group: 'network' },
  { flag: 'backward', key: 'backward', kind: 'boolean', scope: 'experiment', default: false, help: 'backpropagate g ~ N(0,1) from the last activation: E[δz²], E[δa²], E[G²] and χ per layer', page: 'checkbox', label: 'backward', group: 'patterns' },
  {
    flag: 'spectrum', key: 'spectrum', kind: 'boolean', scope: 'experiment', default: false, recordedWith: 'spectrum',
    help: "the input–output Jacobian J of every layer at the first --spectrum-inputs rows, pushed through the forward pass as tangents: E‖J‖²/n₀ per layer against ∏χ, and the eigenvalues of JJᵀ at the histogram layers", page: 'checkbox', label: 'spectrum (Jacobian)', group: 'patterns',
  },
  { flag: 'spectrum-inputs', key: 'spectrumInputs', kind: 'integer', scope: 'experiment', placeholder: 'K', min: 1, max: 1_048_576, default: 4, recordedWith: 'spectrum', help: 'how many inputs (the first K rows of the batch) --spectrum takes the Jacobian at', page: 'number', label: 'spectrum-inputs', group: 'patterns' },
  { flag: 'threads', key: 'threads', kind: 'integer', scope: 'run', placeholder: 'N', min: 1, max: 256, defaultText: 'the cores', help: 'worker threads, each with its own WASM instance and a share of the batch rows', page: 'number', label: 'threads', group: 'run' },
  {
    flag: 'kernel', key: 'kernel', kind: 'choice', scope: 'run', placeholder: 'V', choices: KERNEL_CHOICES, default: 'auto',
    help: 'WASM build: simd (bit-identical to the TS twin), relaxed (fused multiply-add), auto (relaxed where the runtime runs it)', page: 'select', label: 'kernel', group: 'run',
  },
  { flag: 'log-counts', key: 'logCounts', histogramsOnly: true, kind: 'boolean', scope: 'figures', default: false, help: 'histograms with a log count axis', page: 'checkbox', label: 'log-counts', group: 'patterns', query: 'logCounts' },
  { flag: 'out', key: 'out', kind: 'text', scope: 'cli', placeholder: 'DIR', default: 'figures', help: 'output directory' },
  { flag: 'format', key: 'formats', kind: 'choiceList', scope: 'cli', placeholder: 'F,F', choices: ['png', 'svg', 'csv'], default: ['png', 'svg'], allowedText: 'png, svg and/or csv', help: 'output formats: figures as png and svg; csv adds layers.csv and histograms.csv' },
  { flag: 'config', key: 'config', kind: 'text', scope: 'cli', placeholder: 'FILE', defaultText: 'none', help: "rerun a run from its metrics.json: its config replaces the experiment options and the kernel, and the new metrics.json is byte-identical" },
  { flag: 'keep-layers', key: 'keepLayers', kind: 'boolean', scope: 'sweep', default: false, help: 'sweep: every layer\'s record in each point of sweep.json, not only the last' },
  { flag: 'shard', key: 'shard', kind: 'text', scope: 'sweep', placeholder: 'K/N', defaultText: 'none (every point)', allowedText: 'K/N with 0 ≤ K < N ≤ 10000, or auto', help: 'sweep: run every N-th point from point K and write a fragment for sweep-merge; auto takes K and N from a SLURM job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT or _MIN/_MAX) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards N)' },
  { flag: 'shards', key: 'shards', kind: 'integer', scope: 'sweep', placeholder: 'N', min: 1, max: 10_000, defaultText: 'none', help: 'sweep --shard auto in a Kubernetes Indexed Job: the shard count N (the Job\'s completions, which a pod\'s environment does not hold)' },
  { flag: 'quiet', key: 'quiet', kind: 'boolean', scope: 'cli', default: false, help: 'print nothing but errors' },
  { flag: 'debug', key: 'debug', kind: 'boolean', scope: 'cli', default: false, help: 'on an unexpected failure, print the stack too' },
  { flag: 'help', key: 'help', kind: 'boolean', scope: 'cli', default: false, short: 'h', help: 'show this help' },
  { flag: 'version', key: 'version', kind: 'boolean', scope: 'cli', default: false, short: 'v', help: 'show the version' },
] as const satisfies readonly OptionSpec[];

/** The options a sweep can take as an axis (`sweep: true` in the table). */
export type SweepableFlag = Extract<(typeof OPTIONS)[number], { sweep: true }>['flag'];

export type AnyOption = (typeof OPTIONS)[number];
export type OptionFlag = AnyOption['flag'];
export type OptionKey = AnyOption['key'];

const byFlag = new Map<string, OptionSpec>(OPTIONS.map((o) => [o.flag, o]));
const byKey = new Map<string, OptionSpec>(OPTIONS.map((o) => [o.key, o]));

export function optionByFlag(flag: string): OptionSpec | undefined {
  return byFlag.get(flag);
}

export function optionByKey(key: string): OptionSpec | undefined {
  return byKey.get(key);
}

/** The allowed values as people read them: from the kind and range unless the table says it. */
export function allowedText(spec: OptionSpec): string {
  if (spec.allowedText) return spec.allowedText;
  switch (spec.kind) {
    case 'integer': return `an integer in ${spec.min} … ${spec.max}`;
    case 'number': return `a number in ${spec.min} … ${spec.max}`;
    case 'numberOrAuto': return `a number in ${spec.minExclusive ? '(' : ''}${spec.min}${spec.minExclusive ? ',' : ' …'} ${spec.max}${spec.minExclusive ? ']' : ''} or auto`;
    case 'choice': return spec.choices!.join(', ');
    default: return '';
  }
}

/** The default as people read it. */
export function defaultText(spec: OptionSpec): string {
  if (spec.defaultText) return spec.defaultText;
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
}

/** The TypeScript type of an option's value in the library. */
type ValueOf<S> = S extends { kind: 'integer' | 'number' }
  ? number
  : S extends { kind: 'numberOrAuto' }
    ? number | 'auto'
    : S extends { kind: 'integerList' }
      ? number[]
      : S extends { kind: 'choice'; choices: readonly (infer C)[] }
        ? C
        : S extends { kind: 'choiceList'; choices: readonly (infer C)[] }
          ? C[]
          : S extends { kind: 'patterns' }
            ? string[]
            : S extends { kind: 'boolean' }
              ? boolean
              : string;

/** The library's options: every experiment and run option, by key, all optional (the CLI's defaults). */
export type LibraryOptions = { [S in Extract<AnyOption, { scope: 'experiment' | 'run' }> as S['key']]?: ValueOf<S> };

/** Options by key for one scope set, typed. */
export type OptionValues<Scope extends OptionScope> = { [S in Extract<AnyOption, { scope: Scope }> as S['key']]: ValueOf<S> };

export const LIBRARY_KEYS: readonly string[] = OPTIONS.filter((o) => o.scope === 'experiment' || o.scope === 'run').map((o) => o.key);
/** The keys metrics.json's config holds (the options that change results), in table order. */
export const EXPERIMENT_KEYS: readonly string[] = OPTIONS.filter((o) => o.scope === 'experiment').map((o) => o.key);
