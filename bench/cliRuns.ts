// The CLI run end to end as a user runs it, in a child process: the default run (wall time and peak RSS) and
// the sweep of the order–chaos issue (wall time against the points' compute).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round2 } from './stats.js';

export function endToEnd(root: string, args: string[]): { wall_s: number; peak_rss_mb: number; args: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'rsc-bench-'));
  try {
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args, '--out', out, '--quiet'], { stdio: 'inherit' });
    const wall = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`end-to-end run failed with exit ${r.status}`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    return { wall_s: round2(wall), peak_rss_mb: run.peak_rss_mb, args };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The sweep of the issue: 26 × 11 points at batch 256 × width 256 × depth 50; wall time and wall ÷ Σ compute. */
export function sweepTiming(root: string, quick: boolean): { args: string[]; points: number; wall_s: number; compute_s: number; open_s: number; overhead: number } {
  const out = mkdtempSync(join(tmpdir(), 'rsc-bench-sweep-'));
  const args = ['sweep', '--gain', quick ? '0.5:3:6' : '0.5:3:26', '--bias-std', quick ? '0:0.5:3' : '0:0.5:11', '--pattern', 'xavier:tanh', '--depth', '50', '--batch', '256', '--width', '256', '--input-corr', '0.5'];
  try {
    const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args, '--out', out, '--quiet', '--format', 'svg'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`sweep failed with exit ${r.status}`);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const result = { args, points: run.points, wall_s: run.wall_s, compute_s: run.compute_s, open_s: run.open_s, overhead: round2(run.wall_s / run.compute_s) };
    console.error(`sweep: ${result.points} points in ${result.wall_s} s, Σ compute ${result.compute_s} s: wall ÷ compute ${result.overhead}`);
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
