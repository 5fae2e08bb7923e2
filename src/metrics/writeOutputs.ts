import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Temporary names start with this, so an interrupted run's leftovers are recognisable. */
export const TEMP_PREFIX = '.rsc-tmp-';

// Temporary files of a write in progress, so an interrupt can remove them.
const staged = new Set<string>();

/** Removes the temporary files of a write that was interrupted (SIGINT/SIGTERM). */
export function removeStagedFiles(): void {
  for (const temp of staged) rmSync(temp, { force: true });
  staged.clear();
}

/**
 * Creates `dir` and its missing ancestors one level at a time: Node's recursive mkdirSync can spin
 * forever on some special file systems (seen on /proc), this fails with the first error instead.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing.reverse()) mkdirSync(at);
}

export interface OutputFile {
  name: string;
  data: string | Uint8Array;
}

/** What a run's listing may name: a plain file name of the kind the tool writes, nothing with a path in it. */
const LISTABLE = /^[^/\\]+\.(png|svg|json|csv)$/;

/**
 * The files the previous run into `dir` wrote, as its listing (`listing`, e.g. run.json, with a
 * `files` array) says; none if there is no listing or it is not one of ours. Only names it can
 * have written count, so nothing else in the folder is ever touched.
 */
export function previousRunFiles(dir: string, listing: string, tool: string): string[] {
  try {
    const previous = JSON.parse(readFileSync(join(dir, listing), 'utf8'));
    if (previous?.tool !== tool || !Array.isArray(previous.files)) return [];
    return previous.files.filter((f: unknown): f is string => typeof f === 'string' && LISTABLE.test(f) && !f.startsWith(TEMP_PREFIX));
  } catch {
    return [];
  }
}

/**
 * Writes every file under a temporary name in `dir` first and renames them into place only when
 * all were written, so a failed run leaves earlier outputs as they were and no partial files.
 * Then, right after the renames, removes `stale` (the previous run's files this run did not write
 * again), so the folder holds one run's outputs. Returns the final paths in order.
 */
export function writeOutputs(dir: string, files: OutputFile[], stale: readonly string[] = []): string[] {
  ensureDirectory(dir);
  const tag = randomBytes(6).toString('hex');
  const mine: { temp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const temp = join(dir, `${TEMP_PREFIX}${tag}-${f.name}`);
      mine.push({ temp, path: join(dir, f.name) });
      staged.add(temp);
      writeFileSync(temp, f.data);
    }
  } catch (error) {
    for (const s of mine) rmSync(s.temp, { force: true }), staged.delete(s.temp);
    throw error;
  }
  for (const s of mine) renameSync(s.temp, s.path), staged.delete(s.temp);
  const written = new Set(files.map((f) => f.name));
  for (const name of stale) if (!written.has(name) && LISTABLE.test(name)) rmSync(join(dir, name), { force: true });
  return mine.map((s) => s.path);
}
