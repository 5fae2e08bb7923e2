// relu-spread-check sweep …  and  relu-spread-check sweep-merge DIR…
import { shellWord } from '../options/cliCommand.js';
import { availableParallelism, cpus } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveKernelBuild } from '../model/kernelBuilds.js';
import { nodeHasRelaxedSimd } from '../kernel/wasmFile.js';
import type { OutputFile } from '../metrics/writeOutputs.js';
import { allowedText, defaultText, OPTIONS } from '../model/optionTable.js';
import { CLI_NAMING, OptionError, OptionReader } from '../options/parseOptions.js';
import { nodeRun } from '../run/nodeRun.js';
import { parseShard, sweepAxes, SWEEPABLE_FLAGS } from '../sweep/sweepAxes.js';
import { mergeFragments, MissingShards, sweepJson, type SweepRecord } from '../metrics/sweepRecord.js';
import { planSweep, pointsInParallel, runSweep } from '../sweep/runSweep.js';
import { freemem } from 'node:os';
import { WASM_MAX_BYTES } from '../kernel/layout.js';
import { runBytes } from '../run/memoryFits.js';
import { BASELINE_BYTES } from './memoryCheck.js';
import { VERSION } from '../version.js';
import { checkFreeMemory } from './memoryCheck.js';
import { optionTextsOf } from './options.js';
import { checkOutputDirectory, writeRunOutputs } from './outputDirectory.js';
import { UsageError } from './usageError.js';

/** A sweep takes every run option but --config and those that shape only histograms (a sweep keeps none), and its own. */
const SWEEP_FLAGS: readonly string[] = OPTIONS.filter((o) => o.flag !== 'config' && !('histogramsOnly' in o)).map((o) => o.flag as string);
const MERGE_FLAGS = ['out', 'format', 'quiet', 'debug', 'help'];
const FIGURE_FORMATS = ['png', 'svg'] as const;

export function sweepHelpText(): string {
  const rows = OPTIONS.filter((o) => SWEEP_FLAGS.includes(o.flag as string)).map((o) => {
    const flag = `${'short' in o ? `-${o.short}, ` : ''}--${o.flag}${'placeholder' in o ? ` ${o.placeholder}` : ''}`;
    const swept = SWEEPABLE_FLAGS.includes(o.flag) ? ' [sweepable: START:STOP:COUNT or V,V,…]' : '';
    return [flag, o.kind === 'boolean' ? o.help : `${o.help}${swept}; ${allowedText(o) ? `${allowedText(o)}; ` : ''}default ${o.flag === 'threads' ? `the cores (${availableParallelism()})` : defaultText(o)}`];
  });
  const w = Math.max(...rows.map(([a]) => a.length));
  return [
    `relu-spread-check sweep ${VERSION}: one run per point of a grid over one or two options`,
    '',
    'Usage: relu-spread-check sweep --gain 0.5:3:26 --bias-std 0:0.5:11 --pattern xavier:tanh --depth 50 --input-corr 0.5 [options]',
    '       relu-spread-check sweep … --shard K/N --out DIR_K        (every N-th point from K: a fragment)',
    '       relu-spread-check sweep-merge DIR_0 DIR_1 … --out DIR     (the fragments as one sweep.json)',
    '',
    `Sweepable: ${SWEEPABLE_FLAGS.map((f) => `--${f}`).join(', ')}. START:STOP:COUNT gives COUNT evenly spaced values, both ends included.`,
    '',
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`),
    '',
    'Writes DIR/sweep.json (config, axes, per point and pattern the last layer\'s record and the theory;',
    'byte-identical for equal sweeps, any --threads and any sharding) and the figures: phase_<pattern> for a',
    '2-D sweep, sweep_<option> for a 1-D one. Exit codes: 0 ok, 2 bad input, 1 unexpected failure.',
  ].join('\n');
}

function formatsOf(read: OptionReader): ('png' | 'svg')[] {
  const formats = read.list('format', read.text('format') ?? defaultText(read.spec('format')));
  for (const f of formats) if (!(FIGURE_FORMATS as readonly string[]).includes(f)) read.fail('format', `--format for a sweep must be png and/or svg, got "${f}"`);
  return [...new Set(formats)] as ('png' | 'svg')[];
}

/** sweep.json, the figures (not for a fragment) and run.json, written as a run writes its outputs. */
async function writeSweep(out: string, record: SweepRecord, formats: ('png' | 'svg')[], extra: Record<string, unknown>, argv: string[]): Promise<string[]> {
  const files: OutputFile[] = [{ name: 'sweep.json', data: sweepJson(record) }];
  if (!record.shard) {
    const [{ jobFiles }, { sweepFigureSet }] = await Promise.all([import('../figures/figureFiles.js'), import('../figures/sweepFigureSet.js')]);
    files.push(...(await jobFiles(sweepFigureSet(record), formats)));
  }
  return writeRunOutputs(out, files, { version: VERSION, command: argv[0], node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, argv, ...extra, finished_at: new Date().toISOString() });
}

export async function sweepMain(argv: string[], signal: AbortSignal): Promise<number> {
  const texts = optionTextsOf(argv.slice(1), SWEEP_FLAGS, (flag) => (flag === 'config' ? '--config is not an option of a sweep'
    : OPTIONS.some((o) => o.flag === flag && 'histogramsOnly' in o) ? `--${flag} is not an option of a sweep (it shapes only histograms, which a sweep does not keep)` : undefined));
  if (texts.help) return void console.log(sweepHelpText()), 0;
  if (texts.version) return void console.log(VERSION), 0;
  let plan, formats, out: string, quiet: boolean;
  try {
    const read = new OptionReader(texts, CLI_NAMING);
    const { axes, base } = sweepAxes(texts, CLI_NAMING);
    if (axes.length === 0) throw new UsageError(`a sweep needs an option to sweep: one or two of ${SWEEPABLE_FLAGS.map((f) => `--${f}`).join(', ')} as START:STOP:COUNT or V,V,… (see sweep --help)`);
    formats = formatsOf(read);
    out = read.text('out') ?? defaultText(read.spec('out'));
    quiet = read.boolean('quiet');
    if (read.given('shards') && read.text('shard')?.trim() !== 'auto') read.fail('shards', `${read.name('shards')} gives the count for --shard auto in a Kubernetes Indexed Job; with --shard K/N the count is N`);
    plan = planSweep(axes, base, availableParallelism(), CLI_NAMING, read.boolean('keep-layers'), parseShard(read.text('shard'), CLI_NAMING, process.env, read.given('shards') ? read.integer('shards') : undefined));
  } catch (error) {
    throw error instanceof OptionError ? new UsageError(error.message) : error;
  }
  checkOutputDirectory(out, ['sweep.json']);
  // every point must fit, the largest included
  for (const p of plan.points) checkFreeMemory(p.choices.config, p.choices.threads);
  const build = resolveKernelBuild(plan.points[0].choices.kernel, nodeHasRelaxedSimd());
  const started = performance.now();
  const report = (done: number, total: number) => {
    if (quiet) return;
    const elapsed = (performance.now() - started) / 1000, eta = (elapsed * (total - done)) / done;
    const text = `points ${done}/${total}  ${Math.floor((100 * done) / total)}%  ${elapsed.toFixed(1)} s${done < total ? `, ETA ${eta.toFixed(1)} s` : ''}`;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}${done === total ? '\n' : ''}`);
    else if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stderr.write(`[SWEEP] ${text}\n`);
  };
  const free = freemem();
  const parallel = pointsInParallel(plan, (config, copies) => runBytes(config, 1) <= WASM_MAX_BYTES && copies * runBytes(config, 1) + BASELINE_BYTES <= free);
  const { record, timing } = await runSweep(plan, build, (choices) => nodeRun(choices, { signal, cMap: false, poolWorkers: true }), report, parallel);
  const computeMs = timing.points.reduce((t, p) => t + p.wallMs - p.openMs, 0);
  const sweptMs = performance.now() - started;
  const paths = await writeSweep(out, record, formats, {
    kernel: build, threads: plan.points[0].choices.threads, points_in_parallel: parallel, points: timing.points.length,
    wall_s: Math.round(sweptMs) / 1000, compute_s: Math.round(computeMs) / 1000, open_s: Math.round(timing.points.reduce((t, p) => t + p.openMs, 0)) / 1000,
  }, argv);
  if (!quiet) {
    for (const path of paths) if (/\.(png|svg)$/.test(path)) console.log(`[FIG] saved -> ${path}`);
    console.log(`[OUT] ${join(out, 'sweep.json')}  (${timing.points.length} points${record.shard ? `, shard ${record.shard.index}/${record.shard.count}` : ''}, ${(sweptMs / 1000).toFixed(1)} s; compute ${(computeMs / 1000).toFixed(1)} s, kernel ${build})`);
  }
  return 0;
}

export async function mergeMain(argv: string[]): Promise<number> {
  const args = argv.slice(1), dirs: string[] = [], rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) rest.push(args[i], ...(args[i].includes('=') || ['--quiet', '--debug', '--help'].includes(args[i]) ? [] : [args[++i]].filter((a) => a !== undefined)));
    else dirs.push(args[i]);
  }
  const texts = optionTextsOf(rest, MERGE_FLAGS);
  if (texts.help) return void console.log(sweepHelpText()), 0;
  const read = new OptionReader(texts, CLI_NAMING);
  let formats;
  try {
    formats = formatsOf(read);
  } catch (error) {
    throw error instanceof OptionError ? new UsageError(error.message) : error;
  }
  const out = read.text('out') ?? defaultText(read.spec('out'));
  if (dirs.length === 0) throw new UsageError('sweep-merge needs the fragments\' directories (each with a sweep.json written by sweep --shard K/N)');
  const fragments = dirs.map((dir) => {
    const file = join(dir, 'sweep.json');
    if (!existsSync(file)) throw new UsageError(`sweep-merge: ${file} does not exist`);
    try {
      return { source: file, record: JSON.parse(readFileSync(file, 'utf8')) as SweepRecord };
    } catch (error) {
      throw new UsageError(`sweep-merge: ${file} is not JSON (${(error as Error).message})`);
    }
  });
  let record: SweepRecord;
  try {
    record = mergeFragments(fragments);
  } catch (error) {
    if (error instanceof MissingShards) throw new UsageError(`sweep-merge: ${error.message}; rerun exactly ${error.indexes.length > 1 ? 'those' : 'that one'} with: ${rerunCommands(dirs[0], fragments[0].record, error)}`);
    throw new UsageError(`sweep-merge: ${(error as Error).message}`);
  }
  checkOutputDirectory(out, ['sweep.json']);
  const paths = await writeSweep(out, record, formats, { fragments: dirs.length }, argv);
  if (!read.boolean('quiet')) console.log(`[OUT] ${paths[0]}  (${record.points.length} points from ${dirs.length} fragments)`);
  return 0;
}

/**
 * The commands that run the missing shards: the sweep's own arguments, read from a present fragment's run.json
 * (the tool's record of how it was run), with --shard K/N and an --out beside that fragment's (its trailing
 * index replaced by K, else -K appended). Only printed, never run.
 */
function rerunCommands(dir: string, fragment: SweepRecord, missing: MissingShards): string {
  let argv: string[] | undefined;
  try {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { argv?: unknown };
    if (Array.isArray(run.argv) && run.argv.every((a) => typeof a === 'string') && run.argv[0] === 'sweep') argv = run.argv as string[];
  } catch {
    argv = undefined;
  }
  const kept: string[] = [];
  for (let i = 1; argv && i < argv.length; i++) {
    const flag = argv[i].split('=')[0];
    if (['--shard', '--shards', '--out'].includes(flag)) {
      if (!argv[i].includes('=')) i++;
      continue;
    }
    kept.push(argv[i]);
  }
  const index = fragment.shard?.index ?? 0, trailing = new RegExp(`${index}$`);
  const outOf = (k: number) => (trailing.test(dir) ? dir.replace(trailing, String(k)) : `${dir}-${k}`);
  const options = argv ? kept.map(shellWord).join(' ') : '<the sweep\'s options>';
  return missing.indexes.map((k) => `relu-spread-check sweep ${options} --shard ${k}/${missing.count} --out ${shellWord(outOf(k))}`).join(' ; ');
}
