// Types, ranges, defaults and messages of every run option, shared by the CLI and the page so
// both accept and refuse exactly the same input. No Node or DOM imports here.
import { KERNEL_CHOICES, type KernelChoice } from '../kernel/kernelBuilds.js';
import { WASM_MAX_BYTES } from '../kernel/layout.js';
import { bytesNeeded, type ShardShape } from '../kernel/memoryPlan.js';
import { defaultHistLayers, layerWidths, type ExperimentConfig } from './config.js';
import { ORIGINAL_PATTERNS } from './patterns.js';

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

/** Raw option text by name (absent = default), as read from argv or a URL query. */
export type OptionTexts = Partial<Record<IntegerName | 'hist-layers' | 'kernel', string>>;

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
  const depth = int('depth');
  const histText = texts['hist-layers'];
  const histLayers = histText === undefined ? defaultHistLayers(depth) : parseList('hist-layers', histText).map((t) => parseInteger('hist-layers', t, 1, depth));
  const kernel = (texts.kernel ?? 'auto').trim() as KernelChoice;
  if (!KERNEL_CHOICES.includes(kernel)) throw new OptionError('kernel', `--kernel must be one of ${KERNEL_CHOICES.join(', ')}, got "${texts.kernel}"`);
  const config: ExperimentConfig = {
    batch: int('batch'),
    width: int('width'),
    depth,
    seed: int('seed'),
    histLayers: [...new Set(histLayers)].sort((a, b) => a - b),
    bins: int('bins'),
    patterns: ORIGINAL_PATTERNS,
  };
  checkFits(config);
  return { config, threads: int('threads'), kernel };
}

/** Refuses shapes whose buffers exceed what one wasm32 instance can address. */
function checkFits(config: ExperimentConfig): void {
  const shape = (batch: number): ShardShape => ({ rows: batch, widths: layerWidths(config), keepsFullZ: config.histLayers.length > 0, bins: config.bins });
  if (bytesNeeded(shape(config.batch)) <= WASM_MAX_BYTES) return;
  let lo = 0, hi = config.batch;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytesNeeded(shape(mid)) <= WASM_MAX_BYTES) lo = mid;
    else hi = mid - 1;
  }
  const gib = (bytesNeeded(shape(config.batch)) / 2 ** 30).toFixed(1);
  throw new OptionError(
    'batch',
    lo > 0
      ? `--batch ${config.batch} × --width ${config.width} needs ${gib} GiB in one WASM instance (limit 4 GiB); the largest batch that fits at this width is ${lo}`
      : `--width ${config.width} does not fit in one WASM instance (limit 4 GiB) even with --batch 1`,
  );
}
