// Nothing of the user's is ever deleted or overwritten: a run replaces or removes only files whose
// content still has the sha256 its folder's run.json lists, and checks that before its first write.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const freshDir = () => mkdtempSync(join(tmpdir(), 'rsc-safe-'));
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const SMALL = ['--batch', '64', '--width', '16', '--depth', '2', '--format', 'svg', '--quiet'];
const RELU = [...SMALL, '--pattern', 'he:relu', '--pattern', 'xavier:relu'];
const TANH = [...SMALL, '--pattern', 'xavier:tanh'];
const runJson = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
/** Every file in `dir` with its content, to show a refused run wrote, replaced and removed nothing. */
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), 'latin1') : 'folder']));
const USER_FILES = { 'thesis.png': 'my thesis figure', 'results.csv': 'a,b\n1,2\n', 'notes.json': '{"mine": true}' };

describe('run.json', () => {
  it('lists every file the run wrote and its sha256, and the folder holds nothing else (no temporary files)', () => {
    const out = freshDir();
    expect(run([...RELU, '--out', out]).status).toBe(0);
    const listing = runJson(out);
    expect(listing.tool).toBe('relu-spread-check');
    expect([...readdirSync(out)].sort()).toEqual([...listing.files].sort());
    expect(Object.keys(listing.sha256).sort()).toEqual(listing.files.filter((f: string) => f !== 'run.json').sort());
    for (const [name, hash] of Object.entries(listing.sha256)) expect(sha(readFileSync(join(out, name)))).toBe(hash);
  });
});

describe('a rerun into a folder', () => {
  it('removes its own unchanged stale outputs, but neither a user file a forged run.json names nor an output the user changed, with one line for each left alone', () => {
    const out = freshDir();
    expect(run([...RELU, '--out', out]).status).toBe(0);
    // the forger lists the user's files, with their names only and with a made-up sha256
    for (const [name, text] of Object.entries(USER_FILES)) writeFileSync(join(out, name), text);
    const forged = runJson(out);
    forged.files.push(...Object.keys(USER_FILES));
    forged.sha256['thesis.png'] = '0'.repeat(64);
    writeFileSync(join(out, 'run.json'), JSON.stringify(forged));
    // and the user edits an output that the next run does not write again
    writeFileSync(join(out, 'relu_zero_fraction.svg'), 'my annotated copy');
    const before = readdirSync(out);
    const r = run([...TANH, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe([
      `relu-spread-check: --out ${out}: relu_zero_fraction.svg is not as run.json says this tool wrote it (its sha256 differs), so it is left alone`,
      `relu-spread-check: --out ${out}: thesis.png is not as run.json says this tool wrote it (its sha256 differs), so it is left alone`,
      '',
    ].join('\n'));
    for (const [name, text] of Object.entries(USER_FILES)) expect(readFileSync(join(out, name), 'utf8')).toBe(text);
    expect(readFileSync(join(out, 'relu_zero_fraction.svg'), 'utf8')).toBe('my annotated copy');
    // its own stale outputs, unchanged since the first run wrote them, are gone
    const stale = before.filter((f) => f.includes('ReLU') && f !== 'relu_zero_fraction.svg');
    expect(stale.length).toBeGreaterThan(3);
    for (const f of stale) expect(readdirSync(out)).not.toContain(f);
    expect(readdirSync(out).sort()).toEqual([...runJson(out).files, ...Object.keys(USER_FILES), 'relu_zero_fraction.svg'].sort());
  });

  it('a listed name that is a folder is left alone (the run does not fail after writing)', () => {
    const out = freshDir();
    expect(run([...RELU, '--out', out]).status).toBe(0);
    const listing = runJson(out);
    listing.files.push('folder.png');
    listing.sha256['folder.png'] = sha('');
    writeFileSync(join(out, 'run.json'), JSON.stringify(listing));
    mkdirSync(join(out, 'folder.png'));
    writeFileSync(join(out, 'folder.png', 'inside.txt'), 'kept');
    const r = run([...TANH, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`relu-spread-check: --out ${out}: folder.png is not a plain file, so it is left alone\n`);
    expect(readFileSync(join(out, 'folder.png', 'inside.txt'), 'utf8')).toBe('kept');
  });
});

describe('a run that would replace what this tool did not write as it is is refused: exit 2, one line naming --out, nothing written', () => {
  const refused = (out: string, args: string[], message: RegExp) => {
    const before = snapshot(out);
    const r = run([...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(new RegExp(`^relu-spread-check: --out ${out}: ${message.source}`));
    expect(snapshot(out)).toEqual(before);
  };

  it('a run.json of another tool, of an older version (no sha256), or not JSON', () => {
    for (const text of [JSON.stringify({ tool: 'other', files: ['thesis.png'] }), JSON.stringify({ tool: 'relu-spread-check', files: ['thesis.png', 'results.csv', 'notes.json'] }), '{ not json']) {
      const out = freshDir();
      for (const [name, content] of Object.entries(USER_FILES)) writeFileSync(join(out, name), content);
      writeFileSync(join(out, 'run.json'), text);
      refused(out, SMALL, /run\.json (was not written by relu-spread-check|gives no sha256 of its files|is not JSON).*, so it is left alone; move it away or choose another folder$/);
    }
  });

  it('a metrics.json the tool did not write (no run.json, or one that does not list it)', () => {
    const out = freshDir();
    writeFileSync(join(out, 'metrics.json'), '{"my": "metrics"}');
    refused(out, SMALL, /metrics\.json is there and no run\.json says this tool wrote it, so it is left alone/);
    writeFileSync(join(out, 'run.json'), JSON.stringify({ tool: 'relu-spread-check', files: ['metrics.json', 'run.json'], sha256: {} }));
    refused(out, SMALL, /metrics\.json is there and run\.json does not list it, so it is left alone/);
  });

  it('an output the user changed that the run would write again, and a folder where it would write a file', () => {
    const out = freshDir();
    expect(run([...RELU, '--out', out]).status).toBe(0);
    writeFileSync(join(out, 'relu_spread_check_ex2.svg'), 'my edit');
    refused(out, RELU, /relu_spread_check_ex2\.svg is not as run\.json says this tool wrote it \(its sha256 differs\), so it is left alone; move it away or choose another folder$/);
    writeFileSync(join(out, 'metrics.json'), 'my edit');
    refused(out, RELU, /metrics\.json is not as run\.json says/);
    const other = freshDir();
    mkdirSync(join(other, 'relu_spread_check_ex2.svg'));
    refused(other, RELU, /relu_spread_check_ex2\.svg is there and is not a plain file/);
  });

  it('a sweep follows the same rule', () => {
    const out = freshDir();
    writeFileSync(join(out, 'sweep.json'), '{"mine": 1}');
    const args = ['sweep', '--gain', '0.5,1', '--pattern', 'xavier:tanh', '--batch', '64', '--width', '8', '--depth', '2', '--format', 'svg', '--quiet'];
    refused(out, args, /sweep\.json is there and no run\.json says this tool wrote it/);
    const fresh = freshDir();
    expect(run([...args, '--out', fresh]).status).toBe(0);
    const listing = runJson(fresh);
    for (const [name, hash] of Object.entries(listing.sha256)) expect(sha(readFileSync(join(fresh, name)))).toBe(hash);
    expect(run([...args, '--out', fresh]).status).toBe(0);
  }, 60_000);
});

describe('the committed figures', () => {
  it('figures/run.json vouches for every figure a default run writes there, so npm start in a fresh clone may replace them', () => {
    const listing = JSON.parse(readFileSync(join(ROOT, 'figures', 'run.json'), 'utf8'));
    expect(listing.tool).toBe('relu-spread-check');
    expect(listing.argv).toEqual([]);
    for (const name of listing.files.filter((f: string) => f !== 'run.json')) expect(sha(readFileSync(join(ROOT, 'figures', name))), name).toBe(listing.sha256[name]);
  });
});
