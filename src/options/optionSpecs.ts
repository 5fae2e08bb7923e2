// Types, ranges, defaults and messages of every run option, shared by the CLI and the page so
// both accept and refuse exactly the same input. No Node or DOM imports here.
import { max } from 'd3';
import { KERNEL_CHOICES, type KernelChoice } from '../kernel/kernelBuilds.js';
import { WASM_MAX_BYTES } from '../kernel/layout.js';
import { bytesNeeded } from '../kernel/memoryPlan.js';
import { defaultHistLayers, type ExperimentConfig } from '../model/config.js';
import { shardShape } from '../experiment/shard.js';
import { shardRanges } from '../shards/shardRanges.js';
import { didYouMean } from '../model/didYouMean.js';
import { ORIGINAL_PATTERNS, parsePattern } from '../model/patterns.js';

/** Bad input: the message names the option and its allowed range. */
export class OptionError extends Error {
  override name = 'OptionError';
  constructor(readonly option: string, message: string) {
    super(message);
  }
}

export interface IntegerOption {
  min: number;
  max: number;
  default: number;
  doc: string;
}

/** Integer options of the experiment (threads is a run option, not part of the results). */
export const INTEGER_OPTIONS = {
  batch: { min: 1, max: 1_048_576, default: 8192, doc: 'batch rows B (samples pushed through the net)' },
  width: { min: 1, max: 32_768, default: 1024, doc: 'width n of every layer (fan-in = fan-out = n)' },
  depth: { min: 1, max: 1000, default: 20, doc: 'number of layers L' },
  seed: { min: 0, max: 4_294_967_295, default: 0, doc: 'seed of the counter-based RNG' },
  bins: { min: 1, max: 10_000, default: 60, doc: 'histogram bins per panel' },
  seeds: { min: 1, max: 256, default: 1, doc: 'run seeds seed … seed+N−1; line charts show the median and the 10–90% band' },
  threads: { min: 1, max: 256, default: 1, doc: 'worker threads, each with its own WASM instance and a share of the batch rows' },
} satisfies Record<string, IntegerOption>;

export type IntegerName = keyof typeof INTEGER_OPTIONS;

export function parseInteger(option: string, text: string, min: number, max: number): number {
  const range = `an integer in ${min} … ${max}`;
  if (!/^\s*\d+\s*$/.test(text)) throw new OptionError(option, `--${option} must be ${range}, got "${text}"`);
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new OptionError(option, `--${option} must be ${range}, got ${text.trim()}`);
  return value;
}

export function parseList(option: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new OptionError(option, `--${option} must be a comma-separated list without empty items, got "${text}"`);
  return items;
}

export const FAN_MODES = ['in', 'out'] as const;

/** Non-integer experiment options: name → [doc, allowed, default]. */
export const OTHER_OPTIONS: Record<string, [string, string, string]> = {
  'hist-layers': ['layers to histogram', 'integers in 1 … depth', '1,5,10,20 where ≤ depth, plus the depth'],
  pattern: ['INIT:ACT, repeatable; INIT ∈ xavier lecun glorot he orthogonal lsuv, ACT ∈ identity relu leaky_relu tanh sigmoid gelu selu silu', 'INIT:ACT', "the original's xavier:identity, xavier:relu, he:relu"],
  widths: ['per-layer widths n0,n1,…,nL (input first); replaces --width and sets the depth', 'integers in 1 … 32768, at least 2', 'none'],
  'bias-std': ['standard deviation σb of a Gaussian bias per layer', 'a number in 0 … 100', '0 (no bias)'],
  gain: ['multiplies the weight std; auto: 1 identity, √2 relu, √(2/(1+α²)) leaky_relu, 5/3 tanh, 1 sigmoid, 3/4 selu (SELU needs gain 1 to self-normalize), 1 for he', 'a number in (0, 100] or auto', '1'],
  'fan-mode': ['fan used by he', 'in or out', 'in'],
  'leaky-alpha': ['negative slope α of leaky_relu', 'a number in 0 … 1', '0.01'],
  kernel: ['WASM build: simd (bit-identical to the TS twin), relaxed (fused multiply-add), auto (relaxed where the runtime runs it)', 'simd, relaxed, auto', 'auto'],
};

/** Raw option text by name (absent = default), as read from argv or a URL query; --pattern repeats. */
export type OptionTexts = Partial<Record<IntegerName | 'hist-layers' | 'kernel' | 'widths' | 'bias-std' | 'gain' | 'fan-mode' | 'leaky-alpha', string>> & { pattern?: string[]; backward?: boolean };

export function parseNumber(option: string, text: string, min: number, max: number, minExclusive = false): number {
  const range = `a number in ${minExclusive ? '(' : ''}${min}${minExclusive ? ',' : ' …'} ${max}${minExclusive ? ']' : ''}`;
  if (!/^\s*\d+(\.\d+)?([eE][+-]?\d+)?\s*$|^\s*\.\d+\s*$/.test(text)) throw new OptionError(option, `--${option} must be ${range}, got "${text}"`);
  const value = Number(text.trim());
  if (!Number.isFinite(value) || value < min || value > max || (minExclusive && value === min)) throw new OptionError(option, `--${option} must be ${range}, got ${text.trim()}`);
  return value;
}

export interface RunChoices {
  config: ExperimentConfig;
  threads: number;
  kernel: KernelChoice;
}

/** Validates every option; throws the first OptionError. `threadsDefault` is the machine's cores. */
export function parseRunOptions(texts: OptionTexts, threadsDefault: number): RunChoices {
  const int = (name: IntegerName) => {
    const spec = INTEGER_OPTIONS[name];
    const text = texts[name];
    if (text === undefined) return name === 'threads' ? threadsDefault : spec.default;
    return parseInteger(name, text, spec.min, spec.max);
  };
  const widthsText = texts.widths;
  let widths: number[] | undefined;
  if (widthsText !== undefined) {
    if (texts.width !== undefined) throw new OptionError('widths', '--widths and --width exclude each other (--widths sets every width)');
    widths = parseList('widths', widthsText).map((t) => parseInteger('widths', t, INTEGER_OPTIONS.width.min, INTEGER_OPTIONS.width.max));
    if (widths.length < 2) throw new OptionError('widths', `--widths needs the input width and at least one layer, got "${widthsText}"`);
    if (texts.depth !== undefined && int('depth') !== widths.length - 1) throw new OptionError('depth', `--depth ${texts.depth} disagrees with --widths, which sets ${widths.length - 1} layers`);
  }
  const depth = widths ? widths.length - 1 : int('depth');
  const histText = texts['hist-layers'];
  const histLayers = histText === undefined ? defaultHistLayers(depth) : parseList('hist-layers', histText).map((t) => parseInteger('hist-layers', t, 1, depth));
  const kernel = (texts.kernel ?? 'auto').trim() as KernelChoice;
  if (!KERNEL_CHOICES.includes(kernel)) throw new OptionError('kernel', `--kernel must be one of ${KERNEL_CHOICES.join(', ')}, got "${texts.kernel}"${didYouMean(kernel, KERNEL_CHOICES)}`);
  const patterns = texts.pattern?.length
    ? texts.pattern.map((t, i) => {
        const spec = parsePattern(t, i);
        if (typeof spec === 'string') throw new OptionError('pattern', spec);
        return spec;
      })
    : ORIGINAL_PATTERNS;
  const gainText = texts.gain?.trim();
  const fanMode = (texts['fan-mode'] ?? 'in').trim();
  if (!(FAN_MODES as readonly string[]).includes(fanMode)) throw new OptionError('fan-mode', `--fan-mode must be in or out, got "${texts['fan-mode']}"${didYouMean(fanMode, FAN_MODES)}`);
  const config: ExperimentConfig = {
    batch: int('batch'),
    width: widths ? widths[0] : int('width'),
    depth,
    seed: int('seed'),
    histLayers: [...new Set(histLayers)].sort((a, b) => a - b),
    bins: int('bins'),
    patterns,
    ...(widths ? { widths } : {}),
    biasStd: texts['bias-std'] === undefined ? 0 : parseNumber('bias-std', texts['bias-std'], 0, 100),
    gain: gainText === undefined ? 1 : gainText === 'auto' ? 'auto' : parseNumber('gain', gainText, 0, 100, true),
    fanMode: fanMode as ExperimentConfig['fanMode'],
    leakyAlpha: texts['leaky-alpha'] === undefined ? 0.01 : parseNumber('leaky-alpha', texts['leaky-alpha'], 0, 1),
    seeds: int('seeds'),
    backward: texts.backward === true,
  };
  const threads = int('threads');
  checkFits(config, threads);
  return { config, threads, kernel };
}

/** Refuses shapes whose buffers exceed what one wasm32 instance (holding one thread's rows) can address. */
function checkFits(config: ExperimentConfig, threads: number): void {
  const shape = (batch: number) => shardShape(config, max(shardRanges(batch, threads), (r) => r.rows)!);
  if (bytesNeeded(shape(config.batch)) <= WASM_MAX_BYTES) return;
  let lo = 0, hi = config.batch;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytesNeeded(shape(mid)) <= WASM_MAX_BYTES) lo = mid;
    else hi = mid - 1;
  }
  const gib = (bytesNeeded(shape(config.batch)) / 2 ** 30).toFixed(1);
  // name the flag the user typed: --widths when the widths were given one by one
  const shapeFlag = config.widths ? `--widths ${config.widths.join(',')}` : `--width ${config.width}`;
  throw new OptionError(
    lo > 0 ? 'batch' : config.widths ? 'widths' : 'width',
    lo > 0
      ? `--batch ${config.batch} × ${shapeFlag} needs ${gib} GiB in one WASM instance (limit 4 GiB) with ${threads} thread${threads > 1 ? 's' : ''}; the largest batch that fits at this width is ${lo}`
      : `${shapeFlag} does not fit in one WASM instance (limit 4 GiB) even with --batch 1`,
  );
}
