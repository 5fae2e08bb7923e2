// Sweeps on a real scheduler: a single-node SLURM cluster (munged, slurmctld and slurmd on this machine, started
// here and stopped by their process ids) runs examples/slurm-sweep.sbatch as a 4-task job array of
// `sweep … --shard auto`, and sweep-merge of its folders equals the one-machine sweep.json byte for byte; with one
// folder gone the merge exits 2 naming it. Without SLURM the test is skipped with one line, and with CI=true fails.
// The other examples: the xargs line runs; the Kubernetes Indexed Job is checked against the Job fields it uses.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DAEMONS = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'];
const onPath = (name: string) => [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].map((d) => join(d, name)).find(existsSync);
const missing = DAEMONS.filter((d) => !onPath(d));
if (missing.length && process.env.CI === 'true') throw new Error(`SLURM is required with CI=true, and ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (.ci/run installs slurm-wlm and munge)`);
if (missing.length) console.warn(`SLURM test skipped: ${missing.join(', ')} not found (apt-get install slurm-wlm munge; CI=true makes this an error)`);

// a small sweep: 2 gains × 3 bias-stds of one pattern, 6 points over 4 shards
const SWEEP = ['--pattern', 'xavier:tanh', '--gain', '0.5,1.5', '--bias-std', '0,0.1,0.2', '--depth', '4', '--batch', '64', '--width', '16', '--format', 'svg'];

const freePort = () => new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

const until = async (what: string, done: () => boolean, seconds: number) => {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) if (done()) return;
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
};

describe.skipIf(missing.length > 0)('a SLURM job array of sweep --shard auto', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rsc-slurm-'));
  const daemons: ChildProcess[] = [];
  let mungePid: number | undefined;
  afterAll(() => {
    for (const d of daemons) d.kill('SIGTERM');
    if (mungePid) process.kill(mungePid, 'SIGTERM');
  });

  it('4 tasks of examples/slurm-sweep.sbatch, merged, equal the one-machine sweep.json byte for byte; without one folder the merge exits 2 and names it', async () => {
    // munge: a key of its own and a socket in the test's folder
    const key = join(dir, 'munge.key'), socket = join(dir, 'munge.socket');
    expect(spawnSync(onPath('mungekey')!, ['--create', '--keyfile', key]).status).toBe(0);
    expect(spawnSync(onPath('munged')!, ['--force', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(dir, 'munged.pid')}`, `--log-file=${join(dir, 'munged.log')}`, `--seed-file=${join(dir, 'munge.seed')}`]).status).toBe(0);
    mungePid = Number(readFileSync(join(dir, 'munged.pid'), 'utf8'));
    // slurm.conf for this host: its CPUs and most of its memory, ports that are free now
    const host = hostname().split('.')[0], [ctld, slurmd] = [await freePort(), await freePort()];
    for (const sub of ['state', 'spool']) mkdirSync(join(dir, sub));
    const conf = join(dir, 'slurm.conf');
    writeFileSync(conf, [
      'ClusterName=rsc', `SlurmctldHost=${host}(127.0.0.1)`, `SlurmctldPort=${ctld}`, `SlurmdPort=${slurmd}`,
      'AuthType=auth/munge', `AuthInfo=socket=${socket}`, 'CredType=cred/munge', 'SlurmUser=root', 'SlurmdUser=root',
      `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none',
      'SelectType=select/cons_tres', 'SelectTypeParameters=CR_CPU', 'ReturnToService=2', 'MpiDefault=none',
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus().length} RealMemory=${Math.floor((totalmem() / 2 ** 20) * 0.8)} State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP', '',
    ].join('\n'));
    const env = { ...process.env, SLURM_CONF: conf };
    daemons.push(spawn(onPath('slurmctld')!, ['-D', '-f', conf], { stdio: 'ignore' }), spawn(onPath('slurmd')!, ['-D', '-f', conf, '-N', host], { stdio: 'ignore' }));
    await until('the node to be idle', () => /idle/.test(spawnSync(onPath('sinfo')!, ['-h', '-o', '%t'], { env, encoding: 'utf8' }).stdout), 60);

    // the example script as written, its options scaled down through the environment it reads
    const parts = join(dir, 'parts');
    const submitted = spawnSync(onPath('sbatch')!, ['--parsable', '--array=0-3', '--cpus-per-task=1', `--output=${join(dir, 'task_%a.out')}`, `--chdir=${dir}`, join(ROOT, 'examples', 'slurm-sweep.sbatch')], {
      env: { ...env, SWEEP_OPTIONS: SWEEP.join(' '), RELU_SPREAD_CHECK: `${process.execPath} ${CLI}`, PARTS: parts }, encoding: 'utf8',
    });
    expect(submitted.status, submitted.stderr).toBe(0);
    const job = submitted.stdout.trim().split(';')[0];
    await until(`job ${job} to finish`, () => spawnSync(onPath('squeue')!, ['-h', '-j', job], { env, encoding: 'utf8' }).stdout.trim() === '', 120);
    for (let k = 0; k < 4; k++) expect(existsSync(join(parts, String(k), 'sweep.json')), readFileSync(join(dir, `task_${k}.out`), 'utf8')).toBe(true);
    expect(JSON.parse(readFileSync(join(parts, '3', 'sweep.json'), 'utf8')).shard).toEqual({ index: 3, count: 4, points: 1 });

    const whole = join(dir, 'whole'), merged = join(dir, 'merged');
    expect(spawnSync(process.execPath, [CLI, 'sweep', ...SWEEP, '--out', whole, '--quiet']).status).toBe(0);
    const merge = spawnSync(process.execPath, [CLI, 'sweep-merge', ...[0, 1, 2, 3].map((k) => join(parts, String(k))), '--out', merged, '--format', 'svg', '--quiet'], { encoding: 'utf8' });
    expect(merge.status, merge.stderr).toBe(0);
    expect(readFileSync(join(merged, 'sweep.json'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.json'), 'utf8'));

    rmSync(join(parts, '2'), { recursive: true });
    const short = spawnSync(process.execPath, [CLI, 'sweep-merge', ...[0, 1, 3].map((k) => join(parts, String(k))), '--out', join(dir, 'partial')], { encoding: 'utf8' });
    expect(short.status).toBe(2);
    expect(short.stderr.trim().split('\n')).toHaveLength(1);
    expect(short.stderr).toContain('shard 2/4 missing; rerun exactly that one with: relu-spread-check sweep --pattern xavier:tanh');
    expect(short.stderr).toContain(`--shard 2/4 --out ${join(parts, '2')}`);
    expect(existsSync(join(dir, 'partial'))).toBe(false);
  }, 240_000);
});

describe('the other examples', () => {
  it('the xargs line runs 3 shards at once and merges them into the one-machine sweep.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsc-xargs-'));
    // a K (or any letter) in the tool's path or the parts folder stays as it is: `xargs -I K` once replaced it by the shard index
    symlinkSync(join(ROOT, 'dist'), join(dir, 'Kdist'));
    const r = spawnSync('sh', [join(ROOT, 'examples', 'xargs-sweep.sh')], { cwd: dir, encoding: 'utf8', env: { ...process.env, SWEEP_OPTIONS: SWEEP.join(' '), RELU_SPREAD_CHECK: `${process.execPath} ${join(dir, 'Kdist', 'cli.js')}`, PARTS: 'Kparts', SHARDS: '3', OUT: join(dir, 'merged') } });
    expect(r.status, r.stderr).toBe(0);
    expect(spawnSync(process.execPath, [CLI, 'sweep', ...SWEEP, '--out', join(dir, 'whole'), '--quiet']).status).toBe(0);
    expect(readFileSync(join(dir, 'merged', 'sweep.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'sweep.json'), 'utf8'));
  }, 60_000);

  it('the Kubernetes Indexed Job has the batch/v1 Job fields it relies on, its --shards equals its completions, and each pod writes its own folder on the shared volume', () => {
    const job = JSON.parse(readFileSync(join(ROOT, 'examples', 'k8s-sweep-job.json'), 'utf8'));
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: expect.stringMatching(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/) }, spec: { completionMode: 'Indexed' } });
    const { completions, parallelism, template } = job.spec;
    for (const n of [completions, parallelism]) expect(Number.isInteger(n) && n > 0).toBe(true);
    expect(['Never', 'OnFailure']).toContain(template.spec.restartPolicy);
    const [container] = template.spec.containers, command = container.command.join(' ');
    expect(container.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(command).toContain('--shard auto');
    expect(command).toContain(`--shards ${completions}`);
    expect(command).toContain('$JOB_COMPLETION_INDEX');
    const mount = container.volumeMounts[0], volume = template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume?.persistentVolumeClaim?.claimName).toBeTypeOf('string');
    expect(command).toContain(`--out ${mount.mountPath}/`);
    // the container's environment carries the sweep's options in one place
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(['SWEEP_OPTIONS']);
  });
});
