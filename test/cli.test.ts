import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const freshDir = () => mkdtempSync(join(tmpdir(), 'rsc-cli-'));

const BAD_INPUTS: [string, string[], RegExp][] = [
  ['zero batch', ['--batch', '0'], /--batch must be an integer in 1 … 1048576/],
  ['negative width', ['--width', '-3'], /--width/],
  ['fractional depth', ['--depth', '1.5'], /--depth must be an integer/],
  ['non-numeric seed', ['--seed', 'abc'], /--seed/],
  ['seed beyond 2³²−1', ['--seed', '4294967296'], /--seed must be an integer in 0 … 4294967295/],
  ['huge bins', ['--bins', '1e309'], /--bins/],
  ['missing value', ['--batch'], /--batch needs a value/],
  ['hist layer beyond depth', ['--depth', '6', '--hist-layers', '1,7'], /--hist-layers must be an integer in 1 … 6/],
  ['empty list item', ['--hist-layers', '1,,2'], /--hist-layers .*empty/],
  ['unknown format', ['--format', 'jpg'], /--format/],
  ['unknown flag', ['--widht', '3'], /unknown option --widht/],
  ['zero threads', ['--threads', '0'], /--threads must be an integer in 1 … 256/],
  ['unknown kernel', ['--kernel', 'avx'], /--kernel must be one of simd, relaxed, auto/],
  ['buffers beyond 4 GiB', ['--batch', '1048576', '--width', '4096'], /largest batch that fits at this width is \d+/],
];

describe('relu-spread-check CLI', () => {
  it.each(BAD_INPUTS)('%s: exit 2, one line naming the flag, nothing written', (_name, args, message) => {
    const out = join(freshDir(), 'out');
    const r = run([...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('a refused run leaves an existing output directory byte-identical', () => {
    const out = freshDir();
    writeFileSync(join(out, 'metrics.json'), 'earlier');
    expect(run(['--batch', '0', '--out', out]).status).toBe(2);
    expect(readdirSync(out)).toEqual(['metrics.json']);
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe('earlier');
  });

  it('--help lists every flag with its range and default', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--batch', '--width', '--depth', '--seed', '--hist-layers', '--bins', '--threads', '--kernel', '--out', '--format', '--quiet', '--help', '--version']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('1 … 1048576, default 8192');
  });

  it('writes the six figures as PNG and SVG, metrics.json and run.json, and prints the summary', () => {
    const out = freshDir();
    const r = run(['--batch', '128', '--width', '64', '--depth', '6', '--out', out]);
    expect(r.status).toBe(0);
    const names = ['hist_A)_Xavier_+_Identity', 'hist_B)_Xavier_+_ReLU', 'hist_C)_He_+_ReLU', 'relu_spread_check_ex2', 'relu_spread_check_relu_ratio', 'relu_zero_fraction'];
    expect(readdirSync(out).sort()).toEqual([...names.flatMap((n) => [`${n}.png`, `${n}.svg`]), 'metrics.json', 'run.json'].sort());
    expect(r.stdout).toContain('=== B) Xavier + ReLU  (w_init=xavier, act=relu) ===');
    expect(r.stdout).toMatch(/\[L06\] E\[z\^2\]=\d\.\d{4} {2}E\[a\^2\]=\d\.\d{4} {2}E\[a\^2\]\/E\[z\^2\]=\d\.\d{4} {2}zero_frac=\d\.\d{3}/);
    expect(r.stdout).toMatch(/mean\(E\[a\^2\]\/E\[z\^2\]\) over layers = 0\.\d{4} {2}\(theory: ~0\.5\)/);
    expect(r.stdout.match(/^mean\(zero_frac\)/gm)).toHaveLength(2);
    expect(r.stdout).toContain(`[FIG] saved -> ${join(out, 'relu_zero_fraction.png')}`);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toEqual({ batch: 128, width: 64, depth: 6, seed: 0, histLayers: [1, 5, 6], bins: 60, widths: [64, 64, 64, 64, 64, 64, 64], biasStd: 0, gain: 1, fanMode: 'in', leakyAlpha: 0.01 });
    expect(metrics.patterns.map((p: { name: string }) => p.name)).toEqual(['A) Xavier + Identity', 'B) Xavier + ReLU', 'C) He + ReLU']);
    expect(Object.keys(metrics.patterns[1].layers[0])).toEqual(['layer', 'x_ex2', 'z_ex2', 'a_ex2', 'relu_ex2_ratio', 'zero_frac', 'z_mean', 'z_var', 'a_mean', 'a_var', 'z_min', 'z_max', 'a_min', 'a_max', 'theory']);
    expect(metrics.patterns[1].layers[0].theory).toEqual({ z_ex2: 1, a_ex2: 0.5, relu_ex2_ratio: 0.5, zero_frac: 0.5 });
    expect(metrics.patterns[2].layers[5].theory).toEqual({ z_ex2: 2, a_ex2: 1, relu_ex2_ratio: 0.5, zero_frac: 0.5 });
    const runInfo = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(runInfo.kernel).toMatch(/^wasm-(relaxed-)?simd$/);
    expect(runInfo.wall_s).toBeGreaterThan(0);
  });

  it.each(['simd', 'relaxed'])('--kernel %s: metrics.json is byte-identical for --threads 1, 2 and 3', (kernel) => {
    const dirs = [1, 2, 3].map((threads) => {
      const out = freshDir();
      expect(run(['--batch', '200', '--width', '48', '--depth', '4', '--threads', String(threads), '--kernel', kernel, '--out', out, '--format', 'svg', '--quiet']).status).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).kernel).toBe(kernel === 'simd' ? 'wasm-simd' : 'wasm-relaxed-simd');
      return readFileSync(join(out, 'metrics.json'));
    });
    expect(dirs[1]).toEqual(dirs[0]);
    expect(dirs[2]).toEqual(dirs[0]);
  });

  it('equal runs give byte-identical metrics.json; --format and --quiet are honoured', () => {
    const a = freshDir(), b = freshDir();
    expect(run(['--batch', '96', '--width', '40', '--depth', '3', '--out', a, '--quiet', '--format', 'svg']).stdout).toBe('');
    run(['--batch', '96', '--width', '40', '--depth', '3', '--out', b, '--quiet', '--format', 'svg']);
    expect(readFileSync(join(a, 'metrics.json'))).toEqual(readFileSync(join(b, 'metrics.json')));
    expect(readdirSync(a).filter((f) => f.endsWith('.png'))).toEqual([]);
    expect(readdirSync(a).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
