import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Writes every file under a temporary name in `dir` first and renames them into place only when
 * all were written, so a failed run leaves earlier outputs as they were and no partial files.
 * Returns the final paths in order.
 */
export function writeOutputs(dir: string, files: OutputFile[]): string[] {
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
  return mine.map((s) => s.path);
}
