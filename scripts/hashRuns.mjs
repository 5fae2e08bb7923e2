// sha256 (first 16 hex digits) of metrics.json, and of its results alone, for the default run and 11 varied configs: run it before and after a change
// that must preserve behaviour, and compare (`node scripts/hashRuns.mjs > before.txt`, then diff).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREDICTIONS = ['finite_width', 'expected', 'atoms'];
// --without k1,k2: also leave out fields a change adds, to show that everything else is unchanged
const at = process.argv.indexOf('--without');
const ADDED = at > 0 ? process.argv[at + 1].split(',') : [];
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const CONFIGS = [
  [],
  ['--pattern', 'glorot:tanh', '--pattern', 'he:gelu', '--pattern', 'lecun:selu', '--pattern', 'he:leaky_relu', '--batch', '512', '--width', '128', '--depth', '8'],
  ['--widths', '64,128,32,96,16', '--pattern', 'he:relu', '--pattern', 'xavier:sigmoid', '--batch', '300'],
  ['--bias-std', '0.3', '--pattern', 'xavier:tanh', '--pattern', 'lecun:silu', '--batch', '256', '--width', '64', '--depth', '6'],
  ['--gain', '1.7', '--fan-mode', 'out', '--pattern', 'he:relu', '--widths', '32,64,16', '--batch', '200'],
  ['--seeds', '4', '--batch', '256', '--width', '64', '--depth', '5'],
  ['--backward', '--batch', '200', '--width', '48', '--depth', '4', '--pattern', 'he:gelu', '--pattern', 'xavier:tanh', '--pattern', 'he:relu'],
  ['--pattern', 'lsuv:tanh', '--pattern', 'lsuv:relu', '--bias-std', '0.1', '--batch', '256', '--width', '64', '--depth', '5', '--backward'],
  ['--pattern', 'orthogonal:relu', '--pattern', 'orthogonal:tanh', '--pattern', 'he:leaky_relu', '--widths', '32,64,48,16', '--gain', 'auto', '--leaky-alpha', '0.2', '--batch', '128', '--hist-layers', '1,3', '--bins', '40'],
  ['--residual', '0.5', '--pattern', 'he:relu:batch', '--pattern', 'xavier:tanh:layer', '--pattern', 'he:gelu:nf', '--pattern', 'lsuv:relu', '--backward', '--batch', '128', '--width', '32', '--depth', '4'],
  ['--norm', 'batch', '--pattern', 'he:relu', '--pattern', 'lsuv:tanh:layer', '--pattern', 'xavier:gelu:nf', '--pattern', 'he:silu:none', '--backward', '--batch', '130', '--width', '24', '--depth', '5', '--hist-layers', '2,5'],
  ['--input-corr', '0.6', '--seeds', '3', '--pattern', 'he:relu', '--pattern', 'xavier:tanh', '--batch', '200', '--width', '40', '--depth', '6', '--threads', '3'],
];
for (const args of CONFIGS) {
  const out = mkdtempSync(join(tmpdir(), 'rsc-hash-'));
  execFileSync(process.execPath, [CLI, ...args, '--out', out, '--format', 'svg', '--quiet']);
  const text = readFileSync(join(out, 'metrics.json'), 'utf8');
  const sha = (s) => createHash('sha256').update(s).digest('hex').slice(0, 16);
  // the whole file, and the measured results alone: without the config and the predictions
  // (finite_width, expected counts and atoms, the χ chain), which a change may add to
  const measured = JSON.stringify(JSON.parse(text).patterns, function (key, value) {
    // a layer's theory.grad_z_ex2 is the χ chain; the record's own grad_z_ex2 is measured
    return PREDICTIONS.includes(key) || ADDED.includes(key) || (key === 'grad_z_ex2' && !('layer' in this)) ? undefined : value;
  });
  console.log(`${sha(text)} ${sha(measured)}  ${args.join(' ') || '(default run)'}`);
  rmSync(out, { recursive: true });
}
