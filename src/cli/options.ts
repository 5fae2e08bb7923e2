import { availableParallelism } from 'node:os';
import type { ExperimentConfig } from '../model/config.js';
import { INTEGER_OPTIONS, OptionError, OTHER_OPTIONS, parseList, parseRunOptions, type OptionTexts } from '../options/optionSpecs.js';
import type { FigureFormat } from '../figures/figureFiles.js';
import type { KernelChoice } from '../kernel/kernelBuilds.js';
import { didYouMean } from '../model/didYouMean.js';
import { UsageError } from './usageError.js';

export interface CliOptions {
  config: ExperimentConfig;
  out: string;
  threads: number;
  kernel: KernelChoice;
  formats: FigureFormat[];
  logCounts: boolean;
  quiet: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
}

const VALUE_FLAGS = new Set<string>([...Object.keys(INTEGER_OPTIONS), ...Object.keys(OTHER_OPTIONS), 'out', 'format']);
const REPEATABLE = new Set(['pattern']);
const BOOLEAN_FLAGS = new Set(['backward', 'log-counts', 'quiet', 'debug', 'help', 'version']);
const ALL_FLAGS = [...VALUE_FLAGS, ...BOOLEAN_FLAGS];

/** Parses argv (without node and script) into validated options; throws UsageError on bad input. */
export function parseOptions(argv: string[]): CliOptions {
  const values = new Map<string, string>();
  const repeated: string[] = [];
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
      if (REPEATABLE.has(name)) repeated.push(value);
      else if (values.has(name)) throw new UsageError(`--${name} given twice`);
      else values.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}${didYouMean(name, ALL_FLAGS, '--')} (see --help)`);
    }
  }
  try {
    const texts = { ...Object.fromEntries(values), ...(repeated.length ? { pattern: repeated } : {}), backward: flags.has('backward') } as OptionTexts;
    const { config, threads, kernel } = parseRunOptions(texts, availableParallelism());
    const formats = parseList('format', values.get('format') ?? 'png,svg').map((f) => {
      if (f !== 'png' && f !== 'svg') throw new OptionError('format', `--format must list png and/or svg, got "${f}"${didYouMean(f, ['png', 'svg'])}`);
      return f as FigureFormat;
    });
    const out = values.get('out') ?? 'figures';
    if (out.trim() === '') throw new UsageError('--out must name a directory');
    return { config, out, threads, kernel, formats: [...new Set(formats)], logCounts: flags.has('log-counts'), debug: flags.has('debug'), quiet: flags.has('quiet'), help: flags.has('help'), version: flags.has('version') };
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
}
