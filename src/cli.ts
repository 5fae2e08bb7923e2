#!/usr/bin/env node
import { cpus } from 'node:os';
import { join } from 'node:path';
import { helpText } from './cli/help.js';
import { parseOptions } from './cli/options.js';
import { UsageError } from './cli/usageError.js';
import { OptionError } from './options/parseOptions.js';
import { nodeRun } from './run/nodeRun.js';
import type { Ran } from './run/runHooks.js';
import { histogramsCsv, layersCsv } from './metrics/csv.js';
import { metricsJson } from './metrics/metricsJson.js';
import { patternSummary, runLine } from './metrics/summary.js';
import { removeStagedFiles, type OutputFile } from './metrics/writeOutputs.js';
import { checkFreeMemory } from './cli/memoryCheck.js';
import { ProgressReport } from './cli/progress.js';
import { checkOutputDirectory, writeRunOutputs } from './cli/outputDirectory.js';
import { VERSION } from './version.js';

const interrupted = new AbortController();

// Ctrl-C / kill: stop the workers, remove half-written files, leave earlier outputs untouched.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    interrupted.abort();
    removeStagedFiles();
    process.stderr.write(`\nrelu-spread-check: interrupted by ${signal}; earlier outputs are unchanged\n`);
    process.exit(code);
  });
}

async function main(argv: string[]): Promise<number> {
  // the subcommands load their own code only when asked for
  if (argv[0] === 'sweep') return (await import('./cli/sweepCommand.js')).sweepMain(argv, interrupted.signal);
  if (argv[0] === 'sweep-merge') return (await import('./cli/sweepCommand.js')).mergeMain(argv);
  // --help and --version answer whatever else the line holds, errors included
  if (argv.includes('--help') || argv.includes('-h')) return void console.log(helpText(VERSION)), 0;
  if (argv.includes('--version') || argv.includes('-v')) return void console.log(VERSION), 0;
  const options = parseOptions(argv);
  const { config, quiet } = options;
  checkOutputDirectory(options.out, ['metrics.json']);
  checkFreeMemory(config, options.threads);
  const progress = quiet ? undefined : new ProgressReport((t) => process.stderr.write(t), process.stderr.isTTY === true, { patterns: config.patterns.length, depth: config.depth, seeds: config.seeds, figures: options.formats.some((f) => f !== 'csv') });
  const started = performance.now();
  let ran: Ran;
  try {
    ran = await nodeRun(options, {
      signal: interrupted.signal,
      onProgress: progress && ((p) => progress.layer(p)),
    });
  } catch (error) {
    throw error instanceof OptionError ? new UsageError(error.message) : error;
  }
  const { build: kernelBuild, patterns } = ran;
  const computed = performance.now();

  // Figure code (jsdom alone is ~1 s and ~90 MB) loads only after the workers and their WASM
  // memory are gone, so the two peaks do not add up.
  // A run without figures (--format csv) loads none of it.
  const figureFormats = options.formats.filter((f) => f !== 'csv');
  const figures = figureFormats.length === 0 ? [] : await (await import('./figures/figureFiles.js')).figureFiles(patterns, figureFormats, { logCounts: options.logCounts }, progress && ((done, total) => progress.figure(done, total)));
  const files: OutputFile[] = [{ name: 'metrics.json', data: metricsJson(config, patterns, kernelBuild) }, ...figures];
  if (options.formats.includes('csv')) files.push({ name: 'layers.csv', data: layersCsv(config, patterns) }, { name: 'histograms.csv', data: histogramsCsv(patterns) });
  progress?.finish();
  const wallSeconds = (performance.now() - started) / 1000;
  // run.json lists what this run wrote and each file's sha256, so the next run into the folder can replace and remove exactly those
  const paths = writeRunOutputs(options.out, files, {
    version: VERSION,
    kernel: kernelBuild,
    threads: options.threads,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    argv,
    wall_s: Math.round(wallSeconds * 1000) / 1000,
    compute_s: Math.round(computed - started) / 1000,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    finished_at: new Date().toISOString(),
  });

  if (!quiet) {
    console.log(`${runLine(config, kernelBuild, options.threads)}\n`);
    for (const p of patterns) console.log(patternSummary(p) + '\n');
    for (const path of paths) if (/\.(png|svg)$/.test(path)) console.log(`[FIG] saved -> ${path}`);
    console.log(`[OUT] ${join(options.out, 'metrics.json')}, ${join(options.out, 'run.json')}  (${wallSeconds.toFixed(1)} s, kernel ${kernelBuild})`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`relu-spread-check: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      const debug = process.argv.includes('--debug');
      process.stderr.write(`relu-spread-check: unexpected failure: ${error instanceof Error ? error.message : String(error)}${debug ? '' : ' (--debug shows the stack)'}\n`);
      if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    }
  },
);
