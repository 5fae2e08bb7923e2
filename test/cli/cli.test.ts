import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELP_EXAMPLES } from '../../src/cli/help.js';
import { parseOptions } from '../../src/cli/options.js';
import { UsageError } from '../../src/cli/usageError.js';
import { readListing } from '../../src/metrics/outputListing.js';
import { expectWellFormedXml } from '../helpers/xml.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const freshDir = () => mkdtempSync(join(tmpdir(), 'rsc-cli-'));
const runInfoKernel = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).kernel;

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
  ['unknown init', ['--pattern', 'kaiming:relu'], /--pattern: unknown init "kaiming"/],
  ['unknown activation', ['--pattern', 'he:swish'], /--pattern: unknown activation "swish"/],
  ['malformed pattern', ['--pattern', 'he'], /--pattern must be INIT:ACT or INIT:ACT:NORM/],
  ['a pattern given twice', ['--pattern', 'he:relu', '--pattern', 'xavier:tanh', '--pattern', 'he:relu'], /^--pattern he:relu is given twice \(patterns 1 and 3\); each pattern runs once$/],
  ['a --widths entry too wide to fit: the message names --widths, not --width', ['--widths', '16,32768'], /^--widths 16,32768 does not fit/],
  ['widths with one entry', ['--widths', '64'], /--widths needs the input width and at least one layer/],
  ['widths and width', ['--widths', '64,32', '--width', '64'], /--widths and --width exclude each other/],
  ['widths disagreeing with depth', ['--widths', '64,32,16', '--depth', '5'], /--depth 5 disagrees with --widths/],
  ['negative bias std', ['--bias-std', '-1'], /--bias-std must be a number in 0 … 100/],
  ['zero gain', ['--gain', '0'], /--gain must be a number in \(0, 100\]/],
  ['unknown fan mode', ['--fan-mode', 'both'], /--fan-mode must be in or out/],
  ['leaky alpha above 1', ['--leaky-alpha', '2'], /--leaky-alpha must be a number in 0 … 1/],
  ['empty integer', ['--batch', ''], /--batch must be an integer/],
  ['NaN', ['--width', 'NaN'], /--width must be an integer/],
  ['exponent notation', ['--depth', '1e3'], /--depth must be an integer/],
  ['negative seed', ['--seed', '-1'], /--seed must be an integer in 0 … 4294967295/],
  ['depth beyond 1000', ['--depth', '1001'], /--depth must be an integer in 1 … 1000/],
  ['zero bins', ['--bins', '0'], /--bins must be an integer in 1 … 10000/],
  ['fractional threads', ['--threads', '1.0'], /--threads must be an integer/],
  ['empty hist layers', ['--hist-layers', ''], /--hist-layers/],
  ['empty format item', ['--format', 'png,,svg'], /--format .*empty/],
  ['flag given twice', ['--batch', '5', '--batch', '6'], /--batch given twice/],
  ['positional argument', ['figures'], /unexpected argument "figures"/],
  ['value on a switch', ['--quiet=1'], /--quiet takes no value/],
  ['non-numeric gain', ['--gain', 'abc'], /--gain must be a number/],
  ['misspelt flag', ['--depht', '3'], /unknown option --depht \(did you mean "--depth"\?\)/],
  ['misspelt activation', ['--pattern', 'he:rleu'], /did you mean "relu"/],
  ['auto in capitals', ['--gain', 'Auto'], /--gain must be a number in \(0, 100\] or auto, got "Auto" \(did you mean "auto"\?\)/],
  ['widths of one layer against --depth: "1 layer", not "1 layers"', ['--widths', '4,4', '--depth', '3'], /which sets 1 layer$/],
  ['batch too big for 2 threads', ['--batch', '1048576', '--width', '16384', '--threads', '2'], /with 2 threads; the largest batch that fits at this width is \d+/],
  ['buffers beyond 4 GiB', ['--batch', '1048576', '--width', '4096'], /largest batch that fits at this width is \d+/],
  ['zero residual α', ['--residual', '0'], /--residual must be a number in \(0, 10\], got 0$/m],
  ['negative residual α', ['--residual', '-1'], /--residual must be a number in \(0, 10\], got "-1"$/m],
  ['non-numeric residual α', ['--residual', 'one'], /--residual must be a number in \(0, 10\], got "one"$/m],
  ['unknown norm', ['--norm', 'group'], /--norm must be one of none, batch, layer, nf, got "group"$/m],
  ['misspelt norm', ['--norm', 'btach'], /--norm must be one of none, batch, layer, nf, got "btach" \(did you mean "batch"\?\)$/m],
  ['unknown norm in a pattern', ['--pattern', 'he:relu:group'], /--pattern: unknown norm "group" \(one of none, batch, layer, nf\)$/m],
  ['residual with widths', ['--residual', '1', '--widths', '8,8,8'], /--residual and --widths exclude each other/],
  ['sequence length not dividing the batch', ['--batch', '100', '--seq-len', '16'], /--seq-len must divide --batch \(100\) so every sequence is whole, got 16/],
  ['unknown block', ['--block', 'atention'], /--block must be one of mlp, attention, transformer, got "atention"/],
  ['heads without attention', ['--heads', '4'], /--heads shapes attention blocks: it needs --block attention or transformer/],
  ['qk-gain without attention', ['--qk-gain', '0'], /--qk-gain shapes attention blocks/],
  ['attention with one token', ['--block', 'attention'], /--block attention needs --seq-len of at least 2/],
  ['causal without attention', ['--causal'], /--causal shapes attention blocks/],
  ['heads not dividing the width', ['--block', 'attention', '--seq-len', '4', '--width', '100', '--heads', '3'], /--heads must divide --width \(100\), got 3/],
  ['negative qk-gain', ['--seq-len', '4', '--block', 'attention', '--qk-gain', '-1'], /--qk-gain must be a number in 0 … 100/],
  ['batch norm in attention', ['--seq-len', '4', '--block', 'transformer', '--norm', 'batch'], /--norm batch is not taken by --block transformer: its norm must be none or layer/],
  ['attention with widths', ['--seq-len', '4', '--block', 'attention', '--widths', '8,8,8'], /--widths and --block attention exclude each other/],
  ['spectrum through attention', ['--seq-len', '4', '--block', 'attention', '--spectrum', '--width', '64'], /--spectrum takes --block mlp/],
  ['lsuv in attention', ['--seq-len', '4', '--block', 'attention', '--pattern', 'lsuv:relu'], /--pattern lsuv:relu is not taken by --block attention/],
  ['batch norm with batch 1', ['--norm', 'batch', '--batch', '1'], /--norm batch needs --batch of at least 2 \(the batch variance of one row is 0\), got 1$/m],
  ['a pattern\'s batch norm with batch 1', ['--pattern', 'he:relu:batch', '--batch', '1'], /--pattern he:relu:batch needs --batch of at least 2/],
];

describe('large batches', () => {
  it('--batch 1048576 --width 1 runs and writes metrics.json (no spread of batch-sized arrays)', () => {
    const out = freshDir();
    const r = run(['--batch', '1048576', '--width', '1', '--depth', '1', '--out', out, '--quiet', '--format', 'svg']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'metrics.json'))).toBe(true);
  }, 60_000);
});

describe('relu-spread-check CLI', () => {
  it('the table of hostile inputs has at least 30 cases', () => expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30));

  // In-process: every hostile input is refused by the parser with one line naming the flag.
  it.each(BAD_INPUTS)('%s: refused with one line naming the flag', (_name, args, message) => {
    let error: unknown;
    try {
      parseOptions([...args, '--out', join(tmpdir(), 'never-written')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  // And as a user meets it, for a few of them: exit 2, that line on stderr, nothing written, an earlier output directory untouched.
  it.each(BAD_INPUTS.filter(([name]) => ['zero batch', 'unknown flag', 'malformed pattern', 'buffers beyond 4 GiB', 'zero residual α', 'unknown norm', 'residual with widths', 'batch norm with batch 1', 'heads not dividing the width', 'batch norm in attention'].includes(name)))('%s (spawned): exit 2, one line, nothing written', (_name, args, message) => {
    const out = join(freshDir(), 'out');
    const r = run([...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    const earlier = freshDir();
    writeFileSync(join(earlier, 'metrics.json'), 'earlier outputs');
    expect(run([...args, '--out', earlier]).status).toBe(2);
    expect(readdirSync(earlier)).toEqual(['metrics.json']);
    expect(readFileSync(join(earlier, 'metrics.json'), 'utf8')).toBe('earlier outputs');
  });

  it('--out naming a file or an unwritable place is refused before any work', () => {
    const dir = freshDir(), file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const [out, message] of [[file, /names a file, not a directory/], [join(file, 'sub'), /is a file, so the directory cannot be created/], ['/proc/no/such', /cannot write in \/proc/]] as const) {
      const r = run(['--batch', '64', '--width', '16', '--depth', '2', '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a refused run leaves an existing output directory byte-identical', () => {
    const out = freshDir();
    writeFileSync(join(out, 'metrics.json'), 'earlier');
    expect(run(['--batch', '0', '--out', out]).status).toBe(2);
    expect(readdirSync(out)).toEqual(['metrics.json']);
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe('earlier');
  });

  it('an output folder holds one run: the next run removes the files the previous one listed in run.json and did not write again, and nothing else', () => {
    const out = freshDir();
    expect(run(['--batch', '64', '--width', '16', '--depth', '2', '--out', out, '--quiet']).status).toBe(0);
    expect(readdirSync(out)).toContain('hist_B)_Xavier_+_ReLU.png');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, 'other.png'), 'not written by the tool');
    expect(run(['--batch', '64', '--width', '16', '--depth', '2', '--pattern', 'xavier:tanh', '--out', out, '--quiet']).status).toBe(0);
    const listed: string[] = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).files;
    expect(readdirSync(out).sort()).toEqual([...listed, 'notes.txt', 'other.png'].sort());
    expect(listed).toContain('hist_A)_Xavier_+_tanh.png');
    expect(listed.some((f) => f.includes('ReLU') || f.startsWith('relu_zero_fraction'))).toBe(false);
    expect(readFileSync(join(out, 'other.png'), 'utf8')).toBe('not written by the tool');
  });

  it('a listing names only plain file names of the kinds the tool writes, each with its sha256: nothing with a path, nothing else, nothing from another tool', () => {
    const out = freshDir(), hash = 'a'.repeat(64);
    const files = Object.fromEntries(['../escape.png', 'a/b.svg', 'a\\b.svg', 'notes.txt', '.rsc-tmp-x.png', 'ok.svg', 'run.json'].map((f) => [f, hash]));
    writeFileSync(join(out, 'run.json'), JSON.stringify({ tool: 'relu-spread-check', sha256: { ...files, 'bad-hash.png': 'xyz', 'number.png': 7 } }));
    expect(readListing(out)).toEqual({ files: new Map([['ok.svg', hash]]) });
    writeFileSync(join(out, 'run.json'), JSON.stringify({ tool: 'something-else', sha256: { 'ok.svg': hash } }));
    expect(readListing(out)).toEqual({ foreign: 'run.json was not written by relu-spread-check' });
    writeFileSync(join(out, 'run.json'), JSON.stringify({ tool: 'relu-spread-check', files: ['ok.svg'] }));
    expect(readListing(out)).toMatchObject({ foreign: expect.stringMatching(/gives no sha256/) });
    writeFileSync(join(out, 'run.json'), 'not json');
    expect(readListing(out)).toEqual({ foreign: 'run.json is not JSON' });
  });

  it('--format csv writes layers.csv (a row per pattern × seed × layer, every record and theory field) and histograms.csv (a row per bin); --config reruns a run byte for byte', () => {
    const out = freshDir(), again = freshDir();
    const args = ['--batch', '96', '--seeds', '2', '--backward', '--widths', '24,32,16,8', '--pattern', 'he:gelu', '--pattern', 'lsuv:tanh', '--bias-std', '0.1', '--gain', 'auto', '--quiet'];
    expect(run([...args, '--format', 'svg,csv', '--out', out]).status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const [header, ...rows] = readFileSync(join(out, 'layers.csv'), 'utf8').trimEnd().split('\n');
    const columns = header.split(',');
    expect(rows).toHaveLength(2 * 2 * 3);
    for (const p of metrics.patterns) for (const layers of p.seeds) for (const l of layers) {
      for (const key of Object.keys(l)) expect(columns, key).toContain(key === 'theory' ? 'theory_z_ex2' : key);
      for (const key of Object.keys(l.theory)) expect(columns).toContain(`theory_${key}`);
    }
    expect(rows[0].split(',').slice(0, 5)).toEqual(['A) He + GELU', 'he', 'gelu', '0', '1']);
    const hist = readFileSync(join(out, 'histograms.csv'), 'utf8').trimEnd().split('\n');
    expect(hist[0]).toBe('pattern,layer,of,bin,lo,hi,count,expected');
    expect(hist).toHaveLength(1 + 2 * 2 * 2 * 60);
    // the config records everything that changes results, so the file reruns the run
    expect(metrics.config).toMatchObject({ patterns: ['he:gelu', 'lsuv:tanh'], backward: true, kernel: expect.stringMatching(/^wasm-/) });
    expect(run(['--config', join(out, 'metrics.json'), '--out', again, '--quiet', '--format', 'svg', '--threads', '1']).status).toBe(0);
    expect(readFileSync(join(again, 'metrics.json'), 'utf8')).toBe(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const clash = run(['--config', join(out, 'metrics.json'), '--batch', '5']);
    expect([clash.status, clash.stderr]).toEqual([2, expect.stringMatching(/--batch cannot be given beside it/)]);
    const missing = run(['--config', join(out, 'nope.json')]);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringMatching(/--config .*nope\.json: cannot be read/)]);
  });

  it('a run without figures (--format csv) loads no figure code: its peak RSS is far below a run that draws SVGs (jsdom alone is ~85 MB)', () => {
    const peak = (format: string) => {
      const out = mkdtempSync(join(tmpdir(), 'rsc-floor-'));
      const r = run(['--batch', '64', '--width', '16', '--depth', '2', '--pattern', 'he:relu', '--format', format, '--out', out, '--quiet']);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).peak_rss_mb as number;
    };
    const csv = peak('csv'), svg = peak('svg');
    // measured 75 MB against 153 MB; before, the csv run loaded jsdom and drew every SVG too (153 MB)
    expect(csv).toBeLessThan(svg - 40);
  });

  it('node\'s own flags on the line (V8\'s, process-wide, --input-type) do not stop the workers: the CLI and the library run', () => {
    // a worker refuses V8's and process-wide flags in its execArgv; they already hold for every thread
    const nodeFlags = ['--max-old-space-size=4096', '--stack-trace-limit=50'];
    const out = freshDir();
    const cli = spawnSync(process.execPath, [...nodeFlags, CLI, '--batch', '64', '--width', '16', '--depth', '2', '--format', 'csv', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect([cli.status, cli.stderr]).toEqual([0, '']);
    const library = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'index.js')).href;
    const esm = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', `import { runExperiment } from '${library}'; const r = await runExperiment({ batch: 64, width: 16, depth: 2 }); console.log(r.patterns.length);`], { encoding: 'utf8' });
    expect([esm.stdout.trim(), esm.stderr]).toEqual(['3', '']);
  });

  it('-h and -v are --help and --version', () => {
    expect(run(['-h']).stdout).toBe(run(['--help']).stdout);
    expect(run(['-v']).stdout.trim()).toBe(run(['--version']).stdout.trim());
    expect(run(['-x']).stderr).toMatch(/unexpected argument "-x"/);
  });

  it('--help wins over any other argument, errors included', () => {
    for (const args of [['--help', '--depth', '-1'], ['--depth', '-1', '-h'], ['--widht', '3', '--help']]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toBe(run(['--help']).stdout);
      expect(r.stderr).toBe('');
    }
    expect(run(['--batch', 'x', '--version']).stdout.trim()).toBe(run(['--version']).stdout.trim());
  });

  it('--help gives five examples of the main tasks, and each is a valid run', () => {
    expect(HELP_EXAMPLES).toHaveLength(5);
    const help = run(['--help']).stdout;
    for (const [args, what] of HELP_EXAMPLES) {
      expect(help).toContain(`relu-spread-check${args ? ` ${args}` : ''}\n      ${what}`);
      expect(() => parseOptions(args ? args.split(' ') : []), args).not.toThrow();
    }
  });

  it('a --config file with a value out of range names the file and its key, not a flag the user never typed', () => {
    const dir = freshDir(), file = join(dir, 'metrics.json');
    const made = run(['--batch', '16', '--width', '8', '--depth', '2', '--format', 'csv', '--quiet', '--out', dir]);
    expect(made.status, made.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...metrics, config: { ...metrics.config, batch: -5 } }));
    const r = run(['--config', file, '--out', join(dir, 'again')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`relu-spread-check: --config ${file}: "batch" must be an integer in 1 … 1048576, got "-5"\n`);
    expect(existsSync(join(dir, 'again'))).toBe(false);
  });

  it('--help lists every flag with its range and default', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--batch', '--width', '--depth', '--seed', '--hist-layers', '--bins', '--threads', '--kernel', '--out', '--format', '--quiet', '--help', '--version']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('an integer in 1 … 1048576; default 8192');
  });

  it("writes the original's six figures, E[z²], the correlation, the finite-width figure and the c-maps as PNG and SVG, metrics.json and run.json, and prints the summary", () => {
    const out = freshDir();
    const r = run(['--batch', '128', '--width', '64', '--depth', '6', '--out', out]);
    expect(r.status).toBe(0);
    const names = ['hist_A)_Xavier_+_Identity', 'hist_B)_Xavier_+_ReLU', 'hist_C)_He_+_ReLU', 'relu_spread_check_ex2', 'relu_spread_check_relu_ratio', 'relu_zero_fraction', 'relu_spread_check_zex2', 'relu_spread_check_corr', 'finite_width_C)_He_+_ReLU',
      'c_map_A)_Xavier_+_Identity', 'c_map_B)_Xavier_+_ReLU', 'c_map_C)_He_+_ReLU'];
    expect(readdirSync(out).sort()).toEqual([...names.flatMap((n) => [`${n}.png`, `${n}.svg`]), 'metrics.json', 'run.json'].sort());
    for (const n of names) expectWellFormedXml(readFileSync(join(out, `${n}.svg`), 'utf8'), `${n}.svg`);
    expect(r.stdout).toContain('=== B) Xavier + ReLU  (w_init=xavier, act=relu) ===');
    // 4 significant digits: B's E[a²] at layer 6 is about 2⁻⁶
    expect(r.stdout).toMatch(/\[L06\] E\[z\^2\]=0\.0\d{4} {2}E\[a\^2\]=0\.0\d{4} {2}E\[a\^2\]\/E\[z\^2\]=0\.\d{4} {2}zero_frac=\d\.\d{3}/);
    expect(r.stdout).toContain('[RUN] kernel=');
    expect(r.stdout).toMatch(/batch=128 width=64 depth=6 seed=0\n/);
    expect(r.stdout).toMatch(/mean\(E\[a\^2\]\/E\[z\^2\]\) over layers = 0\.\d{4} {2}\(theory: ~0\.5\)/);
    expect(r.stdout.match(/^mean\(zero_frac\)/gm)).toHaveLength(2);
    expect(r.stdout).toContain(`[FIG] saved -> ${join(out, 'relu_zero_fraction.png')}`);
    // not a terminal: a progress line per pattern and one for the figures, on stderr
    expect(r.stderr.match(/^\[PROGRESS\] [ABC]\) .*: 6 layers done/gm)).toHaveLength(3);
    expect(r.stderr).toMatch(/^\[PROGRESS\] figures: 12 drawn  100%/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config).toEqual({ batch: 128, width: 64, depth: 6, seed: 0, histLayers: [1, 5, 6], bins: 60, patterns: ['xavier:identity', 'xavier:relu', 'he:relu'], widths: [64, 64, 64, 64, 64, 64, 64], biasStd: 0, gain: 1, fanMode: 'in', leakyAlpha: 0.01, inputCorr: 0, seeds: 1, norm: 'none', residual: null, backward: false, kernel: runInfoKernel(out) });
    expect(metrics.patterns.map((p: { name: string }) => p.name)).toEqual(['A) Xavier + Identity', 'B) Xavier + ReLU', 'C) He + ReLU']);
    expect(Object.keys(metrics.patterns[1].layers[0])).toEqual(['layer', 'x_ex2', 'z_ex2', 'a_ex2', 'relu_ex2_ratio', 'zero_frac', 'z_mean', 'z_var', 'a_mean', 'a_var', 'z_min', 'z_max', 'a_min', 'a_max', 'z_corr', 'a_corr', 'theory']);
    expect(metrics.patterns[1].layers[0].theory).toEqual({ z_ex2: 1, a_ex2: 0.5, relu_ex2_ratio: 0.5, zero_frac: 0.5, c: 0 });
    // independent inputs (c₀ = 0): layer 1 keeps c = 0, then five steps of ReLU's arc-cosine map under He, C(c) = (√(1−c²) + (π − arccos c)·c)/π
    let c = 0;
    for (let l = 2; l <= 6; l++) c = (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / Math.PI;
    expect(metrics.patterns[2].layers[5].theory).toMatchObject({ z_ex2: 2, a_ex2: 1, relu_ex2_ratio: 0.5, zero_frac: 0.5 });
    expect(metrics.patterns[2].layers[5].theory.c).toBeCloseTo(c, 14);
    expect(metrics.patterns[2].phase).toEqual({ q_star: 2, c_star: 1, chi1: 1, chi_c: 1, xi_c: null });
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

describe('relu-spread-check beyond the original', () => {
  it('runs --pattern and --widths with a bias, and metrics.json keeps init, activation and theory', () => {
    const out = mkdtempSync(join(tmpdir(), 'rsc-cli-'));
    const r = spawnSync(process.execPath, [CLI, '--batch', '96', '--widths', '48,40,32', '--pattern', 'glorot:tanh', '--pattern', 'he:gelu', '--bias-std', '0.1', '--gain', 'auto', '--out', out, '--format', 'svg'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('=== A) Glorot + tanh  (w_init=glorot, act=tanh) ===');
    expect(r.stdout).toContain('mean-field theory at L02');
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.config).toMatchObject({ depth: 2, widths: [48, 40, 32], biasStd: 0.1, gain: 'auto' });
    expect(m.patterns.map((p: { init: string; activation: string }) => `${p.init}:${p.activation}`)).toEqual(['glorot:tanh', 'he:gelu']);
    // glorot with gain 5/3 at 48 → 40: σw² = (25/9)·2·48/88, plus σb² = 0.01
    expect(m.patterns[0].layers[0].theory.z_ex2).toBeCloseTo((25 / 9) * (96 / 88) + 0.01, 12);
    expect(readdirSync(out)).toContain('hist_B)_He_+_GELU.svg');
  });
});
