import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { jsonText } from './jsonText.js';
import { CHANGED, fileSha256, leftBehind, LISTING, OutputConflict, outputConflict, readListing, sha256, TEMP_PREFIX, TOOL } from './outputListing.js';

export { TEMP_PREFIX };

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
 * Writes a run's `files` and its listing (run.json: `facts` about the run and each file's sha256)
 * into `dir`. Everything is checked before the first write: a file there that this tool did not
 * write as it is (see outputListing.ts) throws OutputConflict and nothing is written. Each file is
 * written under a temporary name and renamed into place only when all were written, so a failed run
 * leaves earlier outputs as they were and no partial files. Then the previous run's files this run
 * did not write again are removed if they are still as that run wrote them; `note` gets one line
 * for each one left alone. Returns the final paths in order, run.json last.
 */
export function writeListedOutputs(dir: string, files: OutputFile[], facts: Record<string, unknown>, note: (line: string) => void = () => {}): string[] {
  const names = [...files.map((f) => f.name), LISTING];
  const listing = readListing(dir);
  const conflict = outputConflict(dir, names, listing);
  if (conflict) throw new OutputConflict(conflict);
  const { stale, kept } = leftBehind(dir, names, listing);
  const runJson = jsonText({ tool: TOOL, ...facts, files: names, sha256: Object.fromEntries(files.map((f) => [f.name, sha256(f.data)])) }) + '\n';
  const paths = writeOutputs(dir, [...files, { name: LISTING, data: runJson }]);
  // checked again just before removal: a file changed since the check above is left alone too
  for (const s of stale) {
    const path = join(dir, s.name);
    try {
      if (fileSha256(path) === s.sha256) rmSync(path);
      else kept.push(`${s.name} ${CHANGED}`);
    } catch (error) {
      // the outputs are in place already: a stale file that cannot be removed is a note, not a failure
      kept.push(`${s.name} could not be removed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}), so it is left`);
    }
  }
  for (const line of kept) note(line);
  return paths;
}

/** Writes every file under a temporary name in `dir`, then renames them all into place. Returns the final paths in order. */
export function writeOutputs(dir: string, files: OutputFile[]): string[] {
  ensureDirectory(dir);
  const tag = randomBytes(6).toString('hex');
  const mine: { temp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const temp = join(dir, `${TEMP_PREFIX}${tag}-${f.name}`);
      // 'wx': a file already at the temporary name is not ours, so it is neither replaced nor, below, removed
      writeFileSync(temp, '', { flag: 'wx' });
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
