import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectWellFormedXml } from '../helpers/xml.js';
import { parseShard } from '../../src/sweep/sweepAxes.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const fresh = () => mkdtempSync(join(tmpdir(), 'rsc-sweep-'));
const sweep = (args: string[], out = fresh()) => ({ out, r: spawnSync(process.execPath, [CLI, 'sweep', ...args, '--out', out], { encoding: 'utf8' }) });
const NO_WIDTH = ['--pattern', 'xavier:tanh', '--pattern', 'he:relu', '--batch', '64', '--depth', '6', '--input-corr', '0.5', '--quiet', '--format', 'svg'];
const SMALL = [...NO_WIDTH, '--width', '32'];

describe('relu-spread-check sweep: bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['COUNT 0', ['--gain', '0.5:3:0'], /^relu-spread-check: --gain 0\.5:3:0: COUNT must be an integer in 1 … 10000, got "0"\n$/],
    ['COUNT over 10,000', ['--gain', '0.5:3:10001'], /--gain 0\.5:3:10001: COUNT must be an integer in 1 … 10000/],
    ['STOP < START', ['--bias-std', '0.5:0:3'], /--bias-std 0\.5:0:3: STOP must be ≥ START, got 0 < 0\.5/],
    ['a value out of range in a list', ['--gain', '0,1'], /--gain must be a number in \(0, 100\] or auto, got 0/],
    ['an option that cannot be swept', ['--seed', '1:3:3'], /--seed cannot be swept \(sweepable: --batch, --width, --depth, --bias-std, --gain, --leaky-alpha, --residual, --qk-gain\)/],
    ['three swept options', ['--gain', '1,2', '--bias-std', '0,0.1', '--depth', '2,3'], /a sweep varies one or two options, got 3: --depth, --bias-std, --gain/],
    ['an integer range that does not step by whole numbers', ['--width', '10:20:4'], /--width 10:20:4: gives 13\.33\d*, not an integer/],
    ['nothing swept', ['--gain', '2'], /a sweep needs an option to sweep/],
    ['--hist-layers', ['--gain', '1,2', '--hist-layers', '1'], /--hist-layers is not an option of a sweep/],
    ['--bins', ['--gain', '1,2', '--bins', '10'], /^relu-spread-check: --bins is not an option of a sweep \(it shapes only histograms, which a sweep does not keep\)\n$/],
    ['--log-counts', ['--gain', '1,2', '--log-counts'], /^relu-spread-check: --log-counts is not an option of a sweep/],
    ['a bad shard', ['--gain', '1,2', '--shard', '3/3'], /--shard must be K\/N with 0 ≤ K < N ≤ 10000, got "3\/3"/],
    ['csv', ['--gain', '1,2', '--format', 'csv'], /--format for a sweep must be png and\/or svg/],
    ['--shard auto outside a scheduler', ['--gain', '1,2', '--shard', 'auto'], /^relu-spread-check: --shard auto: none of SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_MAX, SLURM_ARRAY_TASK_STEP, JOB_COMPLETION_INDEX is set/],
    ['--shards without --shard auto', ['--gain', '1,2', '--shard', '0/2', '--shards', '2'], /--shards gives the count for --shard auto in a Kubernetes Indexed Job/],
    ['the largest point does not fit in memory', ['--width', '64,16384', '--batch', '1048576'], /--batch 1048576 × --width 16384 needs [\d.]+ GiB/],
  ];
  it.each(cases)('%s: one line naming the flag, exit 2, nothing written', (_, args, message) => {
    const out = join(fresh(), 'out');
    // small defaults where the case does not set the option itself
    const defaults = Object.entries({ '--depth': '2', '--batch': '8', '--width': '8' }).filter(([flag]) => !args.includes(flag)).flat();
    const { r } = sweep([...args, ...defaults], out);
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a run refuses the sweep-only options, naming the command they belong to', () => {
    const r = spawnSync(process.execPath, [CLI, '--shard', '0/2'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('relu-spread-check: --shard is an option of relu-spread-check sweep, not of a run\n');
  });
});

describe('relu-spread-check sweep', () => {
  it('Ctrl-C mid-sweep exits 130 and leaves the earlier sweep.json and figures as they were, with no temporary files', async () => {
    // an earlier sweep of this tool (a sweep refuses to replace files it did not write)
    const { out } = sweep(['--gain', '0.5,1', '--bias-std', '0,0.1', '--pattern', 'xavier:tanh', '--depth', '2', '--batch', '64', '--width', '8', '--quiet']);
    const snapshot = () => Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'latin1')]));
    const earlier = snapshot();
    expect(Object.keys(earlier)).toContain('phase_A)_Xavier_+_tanh.png');
    const child = spawn(process.execPath, [CLI, 'sweep', '--gain', '0.5:3:26', '--bias-std', '0:0.5:11', '--pattern', 'xavier:tanh', '--depth', '50', '--batch', '256', '--width', '256', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    // interrupted once points are running
    await new Promise<void>((resolve) => child.stderr!.on('data', () => /points \d+\/286/.test(stderr) && resolve()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted by SIGINT');
    expect(snapshot()).toEqual(earlier);
  }, 60_000);

  it('writes sweep.json (config, axes, per point and pattern the last record and the theory) and one phase figure per pattern; byte-identical for --threads 1 and 3 and on a rerun', () => {
    const runs = [1, 3, 3].map((threads) => sweep([...SMALL, '--gain', '0.5:2:4', '--bias-std', '0,0.2', '--threads', String(threads)]));
    for (const { r } of runs) expect(r.status, r.stderr).toBe(0);
    const texts = runs.map(({ out }) => readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    const record = JSON.parse(texts[0]);
    expect(record.axes).toEqual([{ option: 'bias_std', values: [0, 0.2] }, { option: 'gain', values: [0.5, 1, 1.5, 2] }]);
    expect(record.config).not.toHaveProperty('gain');
    expect(record.config).not.toHaveProperty('biasStd');
    expect(record.config.inputCorr).toBe(0.5);
    expect(record.points).toHaveLength(2 * 4 * 2);
    const p = record.points[5];
    expect(Object.keys(p)).toEqual(['index', 'bias_std', 'gain', 'pattern', 'seeds', 'last', 'theory']);
    expect(p).toMatchObject({ index: 2, bias_std: 0, gain: 1.5, pattern: 'B) He + ReLU', seeds: 1 });
    expect(p.last.layer).toBe(6);
    // σ values as given; the theory's σw² = (gain × std × √fan_in)² (He: 2·gain²), σb² = bias-std²
    expect(p.theory).toMatchObject({ sigma_w2: 2 * 1.5 * 1.5, sigma_b2: 0 });
    expect(record.points[12].theory.sigma_b2).toBeCloseTo(0.04, 15);
    expect(Object.keys(p.theory)).toEqual(['sigma_w2', 'sigma_b2', 'q_star', 'c_star', 'chi1', 'xi_c']);
    const files = readdirSync(runs[0].out).sort();
    expect(files).toEqual(['phase_A)_Xavier_+_tanh.svg', 'phase_B)_He_+_ReLU.svg', 'run.json', 'sweep.json']);
    for (const f of files.filter((f) => f.endsWith('.svg'))) expectWellFormedXml(readFileSync(join(runs[0].out, f), 'utf8'), f);
  });

  it('--keep-layers adds every layer; a 1-D sweep draws sweep_<option>; seeds add the band and the spread', () => {
    const { out, r } = sweep([...NO_WIDTH, '--width', '16,32,64', '--seeds', '3', '--keep-layers']);
    expect(r.status, r.stderr).toBe(0);
    const record = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(record.points[0].layers).toHaveLength(6);
    expect(record.points[0].last.band.layer).toBe(6);
    expect(record.points[0].seed_sd.log10_a_ex2).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.svg'))).toEqual(['sweep_width.svg']);
  });

  it('3 shards (--shard K/3) merged by sweep-merge give the one-machine sweep.json byte for byte; a missing shard is refused', () => {
    const args = [...SMALL, '--gain', '0.5:2:4', '--bias-std', '0,0.2'];
    const whole = sweep(args);
    const shards = [0, 1, 2].map((k) => sweep([...args, '--shard', `${k}/3`]));
    for (const s of shards) expect(s.r.status, s.r.stderr).toBe(0);
    const fragment = JSON.parse(readFileSync(join(shards[1].out, 'sweep.json'), 'utf8'));
    expect(fragment.shard).toEqual({ index: 1, count: 3, points: 3 });
    expect(fragment.points.map((p: { index: number }) => p.index)).toEqual([1, 1, 4, 4, 7, 7]);
    expect(readdirSync(shards[1].out).sort()).toEqual(['run.json', 'sweep.json']);
    const merged = fresh();
    const m = spawnSync(process.execPath, [CLI, 'sweep-merge', shards[2].out, shards[0].out, shards[1].out, '--out', merged, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    expect(readFileSync(join(merged, 'sweep.json'), 'utf8')).toBe(readFileSync(join(whole.out, 'sweep.json'), 'utf8'));
    expect(readFileSync(join(merged, 'phase_A)_Xavier_+_tanh.svg'), 'utf8')).toBe(readFileSync(join(whole.out, 'phase_A)_Xavier_+_tanh.svg'), 'utf8'));
    const missing = spawnSync(process.execPath, [CLI, 'sweep-merge', shards[0].out, shards[2].out, '--out', fresh()], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    // it names the missing shard and the command that reruns exactly it, from a fragment's own record of its arguments
    const out0 = shards[0].out, rerunOut = out0.endsWith('0') ? out0.replace(/0$/, '1') : `${out0}-1`;
    expect(missing.stderr).toBe(`relu-spread-check: sweep-merge: shard 1/3 missing; rerun exactly that one with: relu-spread-check sweep ${args.join(' ')} --shard 1/3 --out ${rerunOut}\n`);
  }, 60_000);
});

describe('relu-spread-check sweep: attention', () => {
  const ATTENTION = ['--block', 'transformer', '--seq-len', '8', '--batch', '64', '--width', '16', '--depth', '4', '--heads', '2', '--norm', 'layer', '--pattern', 'he:relu', '--quiet', '--format', 'svg'];
  it('residual × qk-gain over transformer blocks: token_corr and attn_entropy per point with their theory; byte-identical for --threads 1 and 2 and for 2 shards merged', () => {
    const args = [...ATTENTION, '--residual', '0.5,1', '--qk-gain', '0:2:3'];
    const runs = [1, 2].map((threads) => sweep([...args, '--threads', String(threads)]));
    for (const { r } of runs) expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(runs[0].out, 'sweep.json'), 'utf8');
    expect(readFileSync(join(runs[1].out, 'sweep.json'), 'utf8')).toBe(text);
    const record = JSON.parse(text);
    expect(record.axes).toEqual([{ option: 'residual', values: [0.5, 1] }, { option: 'qk_gain', values: [0, 1, 2] }]);
    expect(record.config).toMatchObject({ block: 'transformer', seqLen: 8, heads: 2 });
    expect(record.config).not.toHaveProperty('qkGain');
    expect(record.points).toHaveLength(6);
    for (const p of record.points) {
      expect(p.last.layer).toBe(4);
      expect(p.last.token_corr).toBeGreaterThan(-1);
      expect(p.last.attn_entropy).toBeLessThanOrEqual(1 + 1e-12);
      // the uniform map at g = 0, the softmax map above it
      expect(p.last.theory.token_corr).toBeTypeOf('number');
      if (p.qk_gain === 0) expect(p.last.theory.attn_entropy).toBe(1);
      else expect(p.last.theory.attn_entropy).toBeLessThan(1);
    }
    expect(readdirSync(runs[0].out).filter((f) => f.endsWith('.svg'))).toEqual(['phase_A)_He_+_ReLU.svg']);
    const svg = readFileSync(join(runs[0].out, 'phase_A)_He_+_ReLU.svg'), 'utf8');
    expectWellFormedXml(svg, 'phase');
    expect(svg).toContain('token_corr');
    expect(svg).toContain('dashed: theory = 0.5 (infinite width)');
    const shards = [0, 1].map((k) => sweep([...args, '--shard', `${k}/2`]));
    for (const s of shards) expect(s.r.status, s.r.stderr).toBe(0);
    const merged = fresh();
    const m = spawnSync(process.execPath, [CLI, 'sweep-merge', shards[1].out, shards[0].out, '--out', merged, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
    expect(m.status, m.stderr).toBe(0);
    expect(readFileSync(join(merged, 'sweep.json'), 'utf8')).toBe(text);
  }, 60_000);

  it('a --spectrum sweep sharded in 2 and merged equals the one-machine sweep.json byte for byte', () => {
    const args = ['--pattern', 'orthogonal:tanh', '--gain', '0.8,1,1.2', '--spectrum', '--batch', '32', '--width', '16', '--depth', '4', '--quiet', '--format', 'svg'];
    const whole = sweep(args), shards = [0, 1].map((k) => sweep([...args, '--shard', `${k}/2`]));
    for (const s of [whole, ...shards]) expect(s.r.status, s.r.stderr).toBe(0);
    const merged = fresh();
    expect(spawnSync(process.execPath, [CLI, 'sweep-merge', shards[0].out, shards[1].out, '--out', merged, '--quiet'], { encoding: 'utf8' }).status).toBe(0);
    const text = readFileSync(join(whole.out, 'sweep.json'), 'utf8');
    expect(JSON.parse(text).points[0].spectrum.spread).toBeTypeOf('number');
    expect(readFileSync(join(merged, 'sweep.json'), 'utf8')).toBe(text);
  }, 60_000);

  it('a qk-gain sweep with --block mlp is refused in one line, naming the option', () => {
    const { out, r } = sweep(['--qk-gain', '0,1', '--batch', '64', '--width', '16', '--depth', '2']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--qk-gain');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('--shard auto', () => {
  const naming = { id: (s: { flag: string }) => s.flag, spell: (s: { flag: string }) => `--${s.flag}` } as unknown as Parameters<typeof parseShard>[1];
  it.each([
    ['a SLURM array 0-3', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3' }, undefined, { index: 2, count: 4 }],
    ['a SLURM array 1-8 without its count', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' }, undefined, { index: 0, count: 8 }],
    ['a SLURM array 0-6:2', { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '6', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' }, undefined, { index: 3, count: 4 }],
    ['a Kubernetes Indexed Job', { JOB_COMPLETION_INDEX: '3' }, 5, { index: 3, count: 5 }],
  ] as const)('%s', (_, env, shards, expected) => expect(parseShard('auto', naming, env, shards)).toEqual(expected));

  it('refuses an Indexed Job without --shards, and an array task outside its count, in one line each', () => {
    expect(() => parseShard('auto', naming, { JOB_COMPLETION_INDEX: '1' })).toThrow(/^--shard auto: JOB_COMPLETION_INDEX is set \(a Kubernetes Indexed Job\) but the count is not: give --shards N/);
    expect(() => parseShard('auto', naming, { JOB_COMPLETION_INDEX: '4' }, 4)).toThrow(/--shard must be K\/N with 0 ≤ K < N ≤ 10000, got "4\/4"/);
    expect(() => parseShard('auto', naming, { SLURM_ARRAY_TASK_ID: '1' })).toThrow(/SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is/);
  });
});

// tanh at σb² = 0.05 by a rule that shares no code with the tool: Simpson on [−12, 12], q* by
// iterating the length map, and the σw² where σw²·E[sech⁴(√q* z)] = 1 by bisection.
function independentTanhCritical(sigmaB2: number): number {
  const steps = 2400, h = 24 / steps;
  const expect = (f: (z: number) => number) => {
    let s = 0;
    for (let i = 0; i <= steps; i++) {
      const z = -12 + i * h;
      s += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * f(z) * Math.exp(-z * z / 2);
    }
    return (s * h) / 3 / Math.sqrt(2 * Math.PI);
  };
  const chi = (s2: number) => {
    let q = s2 + sigmaB2;
    for (let i = 0, last = NaN; i < 3000 && q !== last; i++) [last, q] = [q, s2 * expect((z) => Math.tanh(Math.sqrt(q) * z) ** 2) + sigmaB2];
    return s2 * expect((z) => 1 / Math.cosh(Math.sqrt(q) * z) ** 4);
  };
  let lo = 1, hi = 3;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (chi(mid) < 1) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('order and chaos (acceptance)', () => {
  it('tanh, σb² = 0.05: the χ₁ = 1 crossing of a gain sweep sits where an independent quadrature puts it (1e-6 on σw²); z_corr → 1 on the ordered side (σw² = 1) and stays below c* + 4 sd on the chaotic side (σw² = 4)', () => {
    const biasStd = Math.sqrt(0.05), width = 256;
    const { out, r } = sweep(['--pattern', 'xavier:tanh', '--gain', '1,2', '--bias-std', String(biasStd), '--depth', '50', '--batch', '256', '--width', String(width), '--input-corr', '0.5', '--quiet', '--format', 'svg']);
    expect(r.status, r.stderr).toBe(0);
    const record = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    const critical = record.critical[0];
    expect(Math.abs(critical.sigma_w2 - independentTanhCritical(0.05))).toBeLessThan(1e-6);
    expect(critical.gain).toBeCloseTo(Math.sqrt(critical.sigma_w2), 12);
    const [ordered, chaotic] = record.points;
    expect(ordered.theory.sigma_w2).toBe(1);
    expect(ordered.theory.c_star).toBe(1);
    // ordered: 1 − c shrinks by χ₁ ≈ 0.74 per layer, so after 50 layers the theory is 1 to ~1e-6
    expect(ordered.last.z_corr).toBeGreaterThan(0.999);
    // chaotic: at c* each layer's draw of W moves c by about c*(1 − c*)·ε with Var ε = 2/n, and the map
    // pulls back by χ_c per layer: an AR(1) whose sd is c*(1 − c*)·√(2/n)/√(1 − χ_c²)
    expect(chaotic.theory.sigma_w2).toBe(4);
    const cStar = chaotic.theory.c_star, chiC = Math.exp(-1 / chaotic.theory.xi_c);
    const sd = (cStar * (1 - cStar) * Math.sqrt(2 / width)) / Math.sqrt(1 - chiC * chiC);
    expect(cStar).toBeLessThan(0.9);
    expect(chaotic.last.z_corr).toBeLessThan(cStar + 4 * sd);
    expect(chaotic.last.z_corr).toBeGreaterThan(cStar - 4 * sd);
  }, 60_000);
});
