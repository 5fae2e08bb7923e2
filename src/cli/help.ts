import { availableParallelism } from 'node:os';
import { INTEGER_OPTIONS, OTHER_OPTIONS } from '../options/optionSpecs.js';

export function helpText(version: string): string {
  const rows: [string, string][] = Object.entries(INTEGER_OPTIONS).map(([name, f]) => [
    `--${name} N`,
    `${f.doc}; ${f.min} … ${f.max}, default ${name === 'threads' ? `the cores (${availableParallelism()})` : f.default}`,
  ]);
  for (const [name, [doc, allowed, dflt]] of Object.entries(OTHER_OPTIONS)) rows.push([`--${name} ${name === 'pattern' ? 'INIT:ACT' : 'V'}`, `${doc}; ${allowed}; default ${dflt}`]);
  rows.push(
    ['--out DIR', 'output directory; default figures'],
    ['--format F,F', 'figure formats, png and/or svg; default png,svg'],
    ['--backward', 'backpropagate g ~ N(0,1) from the last activation: E[δz²], E[δa²], E[G²] and χ per layer'],
    ['--log-counts', 'histograms with a log count axis'],
    ['--quiet', 'print nothing but errors'],
    ['--debug', 'on an unexpected failure, print the stack too'],
    ['--help', 'show this help'],
    ['--version', 'show the version'],
  );
  const w = Math.max(...rows.map(([a]) => a.length));
  return [
    `relu-spread-check ${version}`,
    'How weight init and activation change the spread of activations through a deep MLP:',
    "By default the original's A) Xavier + Identity, B) Xavier + ReLU, C) He + ReLU; any init × activation with --pattern.",
    'Per layer: E[z²], E[a²], E[a²]/E[z²], zeros, histograms, and the mean-field prediction.',
    '',
    'Usage: relu-spread-check [options]      (or: npm start -- [options])',
    '',
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`),
    '',
    'Writes DIR/metrics.json (config + results, byte-identical for equal runs), DIR/run.json (timings,',
    'kernel build, versions) and the figures, each under a temporary name renamed when all are complete.\nExit codes: 0 ok, 2 bad input, 1 unexpected failure, 130 SIGINT, 143 SIGTERM.',
  ].join('\n');
}
