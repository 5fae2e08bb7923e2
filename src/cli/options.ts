import { defaultHistLayers, layerWidths, type ExperimentConfig } from '../experiment/config.js';
import { ORIGINAL_PATTERNS } from '../experiment/patterns.js';
import { bytesNeeded, type ShardShape } from '../kernel/memoryPlan.js';
import { WASM_MAX_BYTES } from '../kernel/layout.js';
import { KERNEL_CHOICES, type KernelChoice } from '../kernel/kernelBuilds.js';
import { availableParallelism } from 'node:os';
import { UsageError } from './usageError.js';

import type { FigureFormat } from '../figures/figureFiles.js';

export type OutputFormat = FigureFormat;

export interface CliOptions {
  config: ExperimentConfig;
  out: string;
  threads: number;
  kernel: KernelChoice;
  formats: OutputFormat[];
  quiet: boolean;
  help: boolean;
  version: boolean;
}

interface IntegerFlag {
  min: number;
  max: number;
  default: number;
  doc: string;
}

/** Integer flags with their ranges; the help text and the validation both read this table. */
export const INTEGER_FLAGS = {
  batch: { min: 1, max: 1_048_576, default: 8192, doc: 'batch rows B (samples pushed through the net)' },
  width: { min: 1, max: 32_768, default: 1024, doc: 'width n of every layer (fan-in = fan-out = n)' },
  depth: { min: 1, max: 1000, default: 20, doc: 'number of layers L' },
  seed: { min: 0, max: 4_294_967_295, default: 0, doc: 'seed of the counter-based RNG' },
  bins: { min: 1, max: 10_000, default: 60, doc: 'histogram bins per panel' },
  threads: { min: 1, max: 256, default: availableParallelism(), doc: 'worker threads, each with its own WASM instance and a share of the batch rows' },
} satisfies Record<string, IntegerFlag>;

type IntegerName = keyof typeof INTEGER_FLAGS;
const VALUE_FLAGS = new Set<string>([...Object.keys(INTEGER_FLAGS), 'hist-layers', 'out', 'format', 'kernel']);
const BOOLEAN_FLAGS = new Set(['quiet', 'help', 'version']);

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const range = `an integer in ${min} … ${max}`;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${flag} must be ${range}, got "${text}"`);
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${flag} must be ${range}, got ${text}`);
  return value;
}

function parseList(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} must be a comma-separated list without empty items, got "${text}"`);
  return items;
}

/** Parses argv (without node and script) into validated options; throws UsageError on bad input. */
export function parseOptions(argv: string[]): CliOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (options start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
    } else if (VALUE_FLAGS.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (values.has(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name} (see --help)`);
    }
  }

  const int = (name: IntegerName) => {
    const spec = INTEGER_FLAGS[name];
    const text = values.get(name);
    return text === undefined ? spec.default : parseInteger(name, text, spec.min, spec.max);
  };
  const depth = int('depth');
  const histText = values.get('hist-layers');
  const histLayers = histText === undefined ? defaultHistLayers(depth) : parseList('hist-layers', histText).map((t) => parseInteger('hist-layers', t, 1, depth));
  const formats = parseList('format', values.get('format') ?? 'png,svg').map((f) => {
    if (f !== 'png' && f !== 'svg') throw new UsageError(`--format must list png and/or svg, got "${f}"`);
    return f as OutputFormat;
  });
  const kernel = (values.get('kernel') ?? 'auto') as KernelChoice;
  if (!KERNEL_CHOICES.includes(kernel)) throw new UsageError(`--kernel must be one of ${KERNEL_CHOICES.join(', ')}, got "${kernel}"`);
  const out = values.get('out') ?? 'figures';
  if (out.trim() === '') throw new UsageError('--out must name a directory');

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
  return { config, out, threads: int('threads'), kernel, formats: [...new Set(formats)], quiet: flags.has('quiet'), help: flags.has('help'), version: flags.has('version') };
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
  throw new UsageError(
    lo > 0
      ? `--batch ${config.batch} × --width ${config.width} needs ${gib} GiB in one WASM instance (limit 4 GiB); the largest batch that fits at this width is ${lo}`
      : `--width ${config.width} does not fit in one WASM instance (limit 4 GiB) even with --batch 1`,
  );
}
