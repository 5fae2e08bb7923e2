// The tool's default run side by side with the same experiment written as a practitioner would:
// a numpy port and a PyTorch port (bench/ports/), reading the same config. The three run in
// alternation, round by round, so the VM's swings hit them alike; the ratio is taken per round.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from '../src/cli/options.js';
import { configRecord } from '../src/metrics/metricsJson.js';
import { round2, summarize } from './stats.js';

export interface PortRun {
  name: string;
  wall_s: number;
  peak_rss_mb: number;
}

export interface PortsResult {
  rounds: number;
  args: string[];
  /** Per case: median wall, its range, median peak RSS. */
  cases: { name: string; wall_s: number; min: number; max: number; peak_rss_mb: number }[];
  /** The tool's wall ÷ each port's, per round. */
  ratios: { compare: string; ratio: number; min: number; max: number }[];
  /** Why a port did not run (python3 or its package missing). */
  skipped: string[];
}

/** The first python3 that imports `module`: the PATH's, then Debian's (where apt-get puts python3-numpy and python3-torch). */
function pythonWith(module: string): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

function timed(command: string, args: string[]): { wall: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit ${r.status}`);
  return { wall, stdout: r.stdout };
}

/** `rounds` rounds of the tool's run (`args`, figures included) and each available port, in alternation. */
export function portsCase(root: string, args: string[], rounds: number): PortsResult {
  const dir = mkdtempSync(join(tmpdir(), 'rsc-bench-ports-'));
  try {
    // the config the tool runs, parsed by its own CLI parser, as the ports read it (metrics.json's "config")
    const configPath = join(dir, 'config.json');
    const { kernel: _build, ...config } = configRecord(parseOptions(args).config, 'wasm-simd');
    writeFileSync(configPath, JSON.stringify(config));

    const skipped: string[] = [];
    const cases: { name: string; run: () => PortRun }[] = [{
      name: 'relu-spread-check',
      run: () => {
        const out = join(dir, 'out');
        const { wall } = timed(process.execPath, [join(root, 'dist', 'cli.js'), ...args, '--out', out, '--quiet']);
        const rss = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).peak_rss_mb;
        rmSync(out, { recursive: true, force: true });
        return { name: 'relu-spread-check', wall_s: wall, peak_rss_mb: rss };
      },
    }];
    for (const [name, module, script] of [['numpy port', 'numpy', 'seed_numpy.py'], ['PyTorch port', 'torch', 'seed_torch.py']] as const) {
      const python = pythonWith(module);
      if (!python) {
        skipped.push(`${name}: no python3 with ${module} (apt-get install python3-${module})`);
        console.error(`skipped the ${name}: no python3 imports ${module} (apt-get install python3-${module})`);
        continue;
      }
      cases.push({
        name,
        run: () => {
          const { wall, stdout } = timed(python, [join(root, 'bench', 'ports', script), configPath]);
          return { name, wall_s: wall, peak_rss_mb: JSON.parse(stdout).peak_rss_mb };
        },
      });
    }
    const runs: PortRun[][] = cases.map(() => []);
    for (let round = 0; round < rounds; round++) {
      cases.forEach((c, i) => {
        const r = c.run();
        runs[i].push(r);
        console.error(`round ${round + 1}: ${r.name} ${r.wall_s.toFixed(2)} s, ${Math.round(r.peak_rss_mb)} MB`);
      });
    }
    const tool = runs[0];
    return {
      rounds,
      args,
      cases: runs.map((rs, i) => {
        const wall = summarize(rs.map((r) => r.wall_s));
        return { name: cases[i].name, wall_s: round2(wall.median), min: round2(wall.min), max: round2(wall.max), peak_rss_mb: Math.round(summarize(rs.map((r) => r.peak_rss_mb)).median) };
      }),
      ratios: runs.slice(1).map((rs, i) => {
        const ratio = summarize(rs.map((r, k) => tool[k].wall_s / r.wall_s));
        return { compare: `relu-spread-check ÷ ${cases[i + 1].name}`, ratio: round2(ratio.median), min: round2(ratio.min), max: round2(ratio.max) };
      }),
      skipped,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The side-by-side table of the tool's default run against the numpy and PyTorch ports. */
export function portsMarkdown(p: PortsResult): string {
  return [
    `The default run${p.args.length ? ` (${p.args.join(' ')})` : ''} against the same experiment as a numpy and a PyTorch port (\`bench/ports/\`, reading the tool's config), ${p.rounds} rounds in alternation, wall from spawn to exit:`,
    '',
    '| run | wall (median) | min–max | peak RSS |',
    '|---|---|---|---|',
    ...p.cases.map((c) => `| ${c.name} | **${c.wall_s} s** | ${c.min}–${c.max} | ${c.peak_rss_mb} MB |`),
    '',
    ...p.ratios.map((r) => `${r.compare}, per round: **${r.ratio}×** (${r.min}–${r.max}).`),
    ...p.skipped.map((s) => `Skipped: ${s}.`),
  ].join('\n');
}
