// Parsing and validation of the run options, for the CLI, the library and the page alike, so all
// three accept and refuse exactly the same input. Errors name the option the way the caller spells
// it (`--bias-std` on the command line, `biasStd` in the library, `bias-std` on the page).
import { type KernelChoice } from '../model/kernelBuilds.js';
import { defaultHistLayers, normOf, type ExperimentConfig } from '../model/config.js';
import { didYouMean } from '../model/didYouMean.js';
import { ORIGINAL_PATTERNS, parsePattern } from '../model/patterns.js';
import { allowedText, OPTIONS, optionByFlag, type OptionSpec } from '../model/optionTable.js';
import { checkSequences } from './sequenceOptions.js';

/** Bad input: `option` names the option as the caller knows it (the flag, or the library's key), and so does the message. */
export class OptionError extends Error {
  override name = 'OptionError';
  constructor(readonly option: string, message: string) {
    super(message);
  }
}

/** How a front door knows an option (`id`, OptionError.option) and spells it in messages. */
export interface Naming {
  id(spec: OptionSpec): string;
  spell(spec: OptionSpec): string;
}
export const CLI_NAMING: Naming = { id: (spec) => spec.flag, spell: (spec) => `--${spec.flag}` };
export const LIBRARY_NAMING: Naming = { id: (spec) => spec.key, spell: (spec) => spec.key };
export const PAGE_NAMING: Naming = { id: (spec) => spec.flag, spell: (spec) => spec.flag };

/** Raw option text by flag (absent = default), as read from argv, a URL query or the library; --pattern repeats, booleans are booleans. */
export type OptionTexts = { readonly [flag: string]: string | readonly string[] | boolean | undefined };

/** An option's value as the parser reads it: booleans and pattern lists as they are, lists joined by commas, the rest as text. */
export function optionText(spec: OptionSpec, value: unknown): string | string[] | boolean {
  if (spec.kind === 'boolean') return value as boolean;
  if (spec.kind === 'patterns') return Array.isArray(value) ? value.map(String) : String(value);
  return Array.isArray(value) ? value.join(',') : String(value);
}

export interface RunChoices {
  config: ExperimentConfig;
  threads: number;
  kernel: KernelChoice;
}

/** Parses and checks one option's text against its table entry (`max` overrides the table's, e.g. depth for hist-layers). */
export class OptionReader {
  constructor(private readonly texts: OptionTexts, readonly naming: Naming) {}

  spec(flag: string): OptionSpec {
    return optionByFlag(flag)!;
  }

  name(flag: string): string {
    return this.naming.spell(this.spec(flag));
  }

  given(flag: string): boolean {
    return this.texts[flag] !== undefined;
  }

  text(flag: string): string | undefined {
    const t = this.texts[flag];
    return t === undefined ? undefined : String(t);
  }

  fail(flag: string, message: string): never {
    throw new OptionError(this.naming.id(this.spec(flag)), message);
  }

  integer(flag: string, text = this.text(flag), max = this.spec(flag).max!): number {
    const spec = this.spec(flag), range = `an integer in ${spec.min} … ${max}`;
    if (text === undefined) return spec.default as number;
    if (!/^\s*\d+\s*$/.test(text)) this.fail(flag, `${this.name(flag)} must be ${range}, got "${text}"`);
    const value = Number(text.trim());
    if (!Number.isSafeInteger(value) || value < spec.min! || value > max) this.fail(flag, `${this.name(flag)} must be ${range}, got ${text.trim()}`);
    return value;
  }

  /** `words`: the words the option also takes (gain's auto), for did-you-mean on a near miss. */
  number(flag: string, text = this.text(flag), words: readonly string[] = []): number {
    const spec = this.spec(flag);
    if (text === undefined) return spec.default as number;
    const range = allowedText(spec);
    if (!/^\s*\d+(\.\d+)?([eE][+-]?\d+)?\s*$|^\s*\.\d+\s*$/.test(text)) this.fail(flag, `${this.name(flag)} must be ${range}, got "${text}"${didYouMean(text.trim().toLowerCase(), words)}`);
    const value = Number(text.trim());
    if (!Number.isFinite(value) || value < spec.min! || value > spec.max! || (spec.minExclusive && value === spec.min)) this.fail(flag, `${this.name(flag)} must be ${range}, got ${text.trim()}`);
    return value;
  }

  list(flag: string, text: string): string[] {
    const items = text.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) this.fail(flag, `${this.name(flag)} must be a comma-separated list without empty items, got "${text}"`);
    return items;
  }

  choice<T extends string>(flag: string, text = this.text(flag)): T {
    const spec = this.spec(flag), value = (text ?? (spec.default as string)).trim();
    if (!spec.choices!.includes(value)) this.fail(flag, `${this.name(flag)} must be ${spec.choices!.length === 2 ? spec.choices!.join(' or ') : `one of ${spec.choices!.join(', ')}`}, got "${text}"${didYouMean(value, spec.choices!)}`);
    return value as T;
  }

  boolean(flag: string): boolean {
    const value = this.texts[flag];
    if (value === undefined) return false;
    if (typeof value !== 'boolean') this.fail(flag, `${this.name(flag)} must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  strings(flag: string): readonly string[] | undefined {
    const value = this.texts[flag];
    return value === undefined ? undefined : typeof value === 'string' ? [value] : (value as readonly string[]);
  }
}

/** Validates every experiment and run option; throws the first OptionError. `threadsDefault` is the machine's cores. */
export function parseRunOptions(texts: OptionTexts, threadsDefault: number, naming: Naming = CLI_NAMING): RunChoices {
  const read = new OptionReader(texts, naming);
  let widths: number[] | undefined;
  const widthsText = read.text('widths');
  if (widthsText !== undefined) {
    if (read.given('width')) read.fail('widths', `${read.name('widths')} and ${read.name('width')} exclude each other (${read.name('widths')} sets every width)`);
    widths = read.list('widths', widthsText).map((t) => read.integer('widths', t));
    if (widths.length < 2) read.fail('widths', `${read.name('widths')} needs the input width and at least one layer, got "${widthsText}"`);
    if (read.given('depth') && read.integer('depth') !== widths.length - 1) read.fail('depth', `${read.name('depth')} ${read.text('depth')} disagrees with ${read.name('widths')}, which sets ${widths.length - 1} layer${widths.length - 1 === 1 ? '' : 's'}`);
  }
  const depth = widths ? widths.length - 1 : read.integer('depth');
  const histText = read.text('hist-layers');
  const histLayers = histText === undefined ? defaultHistLayers(depth)
    : histText.trim() === 'all' ? Array.from({ length: depth }, (_, i) => i + 1)
    : read.list('hist-layers', histText).map((t) => read.integer('hist-layers', t, depth));
  const kernel = read.choice<KernelChoice>('kernel');
  const patterns = read.strings('pattern')?.length
    ? read.strings('pattern')!.map((t, i) => {
        const spec = parsePattern(t, i, read.name('pattern'));
        return typeof spec === 'string' ? read.fail('pattern', spec) : spec;
      })
    : ORIGINAL_PATTERNS;
  // one run per pattern: the same INIT:ACT(:NORM) twice would only run twice and draw over itself
  patterns.forEach((p, i) => {
    const token = `${p.init}:${p.activation}${p.norm ? `:${p.norm}` : ''}`;
    const first = patterns.findIndex((q) => q.init === p.init && q.activation === p.activation && q.norm === p.norm);
    if (first < i) read.fail('pattern', `${read.name('pattern')} ${token} is given twice (patterns ${first + 1} and ${i + 1}); each pattern runs once`);
  });
  const gainText = read.text('gain')?.trim();
  const fanMode = read.choice<ExperimentConfig['fanMode']>('fan-mode');
  const config: ExperimentConfig = {
    batch: read.integer('batch'),
    width: widths ? widths[0] : read.integer('width'),
    depth,
    seed: read.integer('seed'),
    histLayers: [...new Set(histLayers)].sort((a, b) => a - b),
    bins: read.integer('bins'),
    patterns,
    ...(widths ? { widths } : {}),
    biasStd: read.number('bias-std'),
    gain: gainText === 'auto' ? 'auto' : read.number('gain', gainText, ['auto']),
    fanMode,
    leakyAlpha: read.number('leaky-alpha'),
    inputCorr: read.number('input-corr'),
    seeds: read.integer('seeds'),
    norm: read.choice<ExperimentConfig['norm']>('norm'),
    ...(read.given('residual') ? { residual: read.number('residual') } : {}),
    backward: read.boolean('backward'),
    spectrum: read.boolean('spectrum'),
    spectrumInputs: read.integer('spectrum-inputs'),
    seqLen: read.integer('seq-len'),
    block: read.choice<ExperimentConfig['block']>('block'),
    heads: read.integer('heads'),
    qkGain: read.number('qk-gain'),
    causal: read.boolean('causal'),
    attention: read.choice<ExperimentConfig['attention']>('attention'),
  };
  if (config.residual !== undefined && widths) read.fail('residual', `${read.name('residual')} and ${read.name('widths')} exclude each other (a residual block adds x·Wᵀ to x, so every width is the same)`);
  // a batch of one has no variance to divide by: every channel would be 0/√ε
  const batchNormed = config.patterns.find((p) => normOf(config, p) === 'batch');
  if (batchNormed && config.batch < 2) {
    const by = batchNormed.norm ? `${read.name('pattern')} ${batchNormed.init}:${batchNormed.activation}:batch` : `${read.name('norm')} batch`;
    read.fail(batchNormed.norm ? 'pattern' : 'norm', `${by} needs ${read.name('batch')} of at least 2 (the batch variance of one row is 0), got ${config.batch}`);
  }
  if (config.spectrum) checkSpectrum(config, read);
  checkSequences(config, read);
  const threads = read.given('threads') ? read.integer('threads') : threadsDefault;
  return { config, threads, kernel };
}

/** The options a front door accepts, for did-you-mean on an unknown one. */
export function flagsOf(scopes: readonly OptionSpec['scope'][]): string[] {
  return OPTIONS.filter((o) => scopes.includes(o.scope)).map((o) => o.flag);
}

/**
 * The Jacobian is taken at the batch's first rows, through every block kind (each has a tangent step);
 * the eigenvalues are solved exactly, which bounds the width.
 */
function checkSpectrum(config: ExperimentConfig, read: OptionReader): void {
  if (config.spectrumInputs > config.batch) read.fail('spectrum-inputs', `${read.name('spectrum-inputs')} must be an integer in 1 … ${read.name('batch')} (${config.batch}): the inputs are the batch's first rows, got ${config.spectrumInputs}`);
  // the eigensolver is O(n³) in float64 on the orchestrating thread: 1024 takes about 0.7 s per input and layer
  const widest = Math.max(...(config.widths ?? [config.width]));
  if (widest > SPECTRUM_MAX_WIDTH) read.fail(config.widths ? 'widths' : 'width', `${read.name('spectrum')} takes widths up to ${SPECTRUM_MAX_WIDTH} (its eigenvalues are solved exactly, O(n³) in float64), got ${config.widths ? `${read.name('widths')} with ${widest}` : `${read.name('width')} ${widest}`}`);
}

/** The widest layer --spectrum solves the eigenvalues of. */
export const SPECTRUM_MAX_WIDTH = 1024;
