import { availableParallelism } from 'node:os';
import type { ExperimentConfig } from '../model/config.js';
import { didYouMean } from '../model/didYouMean.js';
import { readFileSync } from 'node:fs';
import type { FigureFormat } from '../figures/figureFiles.js';
import { configTexts, REPLACED_BY_CONFIG } from '../options/configTexts.js';
import type { KernelChoice } from '../model/kernelBuilds.js';
import { CLI_NAMING, OptionError, OptionReader, type Naming, type OptionTexts } from '../options/parseOptions.js';
import { parseRunChoices } from '../run/runChoices.js';
import { defaultText, OPTIONS } from '../model/optionTable.js';
import { UsageError } from './usageError.js';

export interface CliOptions {
  config: ExperimentConfig;
  out: string;
  threads: number;
  kernel: KernelChoice;
  formats: OutputFormat[];
  logCounts: boolean;
  quiet: boolean;
  debug: boolean;
  help: boolean;
  version: boolean;
}

/** The flags of a run: every option but the sweep command's own. */
export const RUN_FLAGS: readonly string[] = OPTIONS.filter((o) => o.scope !== 'sweep').map((o) => o.flag);
const BY_SHORT = new Map<string, string>(OPTIONS.flatMap((o) => ('short' in o ? [[o.short, o.flag] as [string, string]] : [])));

export type OutputFormat = FigureFormat | 'csv';

/**
 * With --config FILE, the experiment options and the kernel come from FILE's config (and may not be given
 * beside it); a value from the file is named in messages as the file's key, not as a flag the user never typed.
 */
function withConfigFile(texts: Record<string, string | string[] | boolean>): { texts: OptionTexts; naming: Naming } {
  const file = texts.config;
  if (typeof file !== 'string') return { texts, naming: CLI_NAMING };
  const clash = REPLACED_BY_CONFIG.find((flag) => texts[flag] !== undefined);
  if (clash) throw new UsageError(`--config ${file} sets every option that changes results; --${clash} cannot be given beside it`);
  let metrics: { config?: unknown };
  try {
    metrics = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${error instanceof SyntaxError ? 'not JSON' : 'cannot be read'} (${(error as Error).message})`);
  }
  const fromFile = configTexts(metrics?.config, file);
  const naming: Naming = { id: CLI_NAMING.id, spell: (spec) => (spec.flag in fromFile ? `--config ${file}: "${spec.key}"` : CLI_NAMING.spell(spec)) };
  return { texts: { ...texts, ...fromFile }, naming };
}

/**
 * argv as option texts by flag, for a command that takes `flags` (`--name value`, `--name=value`,
 * booleans bare, --pattern repeatable); throws UsageError on anything else. `elsewhere` explains
 * a known flag the command does not take.
 */
export function optionTextsOf(argv: string[], flags: readonly string[], elsewhere: (flag: string) => string | undefined = () => undefined): Record<string, string | string[] | boolean> {
  const specs = OPTIONS.filter((o) => flags.includes(o.flag));
  const booleans = new Set<string>(specs.filter((o) => o.kind === 'boolean').map((o) => o.flag));
  const values = new Set<string>(specs.filter((o) => o.kind !== 'boolean').map((o) => o.flag));
  const repeatable = new Set<string>(specs.filter((o) => o.kind === 'patterns').map((o) => o.flag));
  const texts: Record<string, string | string[] | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const short = /^-([a-z])$/.exec(argv[i])?.[1];
    const arg = short && BY_SHORT.has(short) ? `--${BY_SHORT.get(short)}` : argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}" (options start with --; see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (booleans.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      texts[name] = true;
    } else if (values.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      if (repeatable.has(name)) texts[name] = [...((texts[name] as string[] | undefined) ?? []), value];
      else if (texts[name] !== undefined) throw new UsageError(`--${name} given twice`);
      else texts[name] = value;
    } else {
      const why = elsewhere(name);
      throw new UsageError(why ?? `unknown option --${name}${didYouMean(name, [...flags], '--')} (see --help)`);
    }
  }
  return texts;
}

/** Parses argv (without node and script) into validated options; throws UsageError on bad input. */
export function parseOptions(argv: string[]): CliOptions {
  const texts = optionTextsOf(argv, RUN_FLAGS, (flag) => (OPTIONS.some((o) => o.flag === flag && o.scope === 'sweep') ? `--${flag} is an option of relu-spread-check sweep, not of a run` : undefined));
  try {
    const withFile = withConfigFile(texts);
    const { config, threads, kernel } = parseRunChoices(withFile.texts, availableParallelism(), withFile.naming);
    const read = new OptionReader(texts, CLI_NAMING);
    const formats = read.list('format', read.text('format') ?? defaultText(read.spec('format'))).map((f) => read.choice<OutputFormat>('format', f));
    const out = read.text('out') ?? defaultText(read.spec('out'));
    if (out.trim() === '') throw new UsageError('--out must name a directory');
    const flag = (name: string) => read.boolean(name);
    return { config, out, threads, kernel, formats: [...new Set(formats)], logCounts: flag('log-counts'), debug: flag('debug'), quiet: flag('quiet'), help: flag('help'), version: flag('version') };
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
}
