import { availableParallelism } from 'node:os';
import { INTEGER_OPTIONS } from '../experiment/optionSpecs.js';

export function helpText(version: string): string {
  const rows: [string, string][] = Object.entries(INTEGER_OPTIONS).map(([name, f]) => [
    `--${name} N`,
    `${f.doc}; ${f.min} … ${f.max}, default ${name === 'threads' ? `the cores (${availableParallelism()})` : f.default}`,
  ]);
  rows.push(
    ['--hist-layers L,L,…', 'layers to histogram; each in 1 … depth; default 1,5,10,20 where ≤ depth, plus the depth'],
    ['--kernel K', 'WASM build: simd (bit-identical to the TS twin), relaxed (fused multiply-add), auto (relaxed where the runtime runs it); default auto'],
    ['--out DIR', 'output directory; default figures'],
    ['--format F,F', 'figure formats, png and/or svg; default png,svg'],
    ['--quiet', 'print nothing but errors'],
    ['--help', 'show this help'],
    ['--version', 'show the version'],
  );
  const w = Math.max(...rows.map(([a]) => a.length));
  return [
    `relu-spread-check ${version}`,
    'How weight init and activation change the spread of activations through a deep MLP:',
    'A) Xavier + Identity, B) Xavier + ReLU, C) He + ReLU; per-layer E[z²], E[a²], ReLU ratio, zeros, histograms.',
    '',
    'Usage: relu-spread-check [options]      (or: npm start -- [options])',
    '',
    ...rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`),
    '',
    'Writes DIR/metrics.json (config + results, byte-identical for equal runs), DIR/run.json (timings,',
    'kernel build, versions) and the figures. Exit codes: 0 ok, 2 bad input, 1 unexpected failure.',
  ].join('\n');
}
