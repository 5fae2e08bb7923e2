import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Temporary names start with this, so an interrupted run's leftovers are recognisable. */
export const TEMP_PREFIX = '.rsc-tmp-';

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
  mkdirSync(dir, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const temp = join(dir, `${TEMP_PREFIX}${tag}-${f.name}`);
      staged.push({ temp, path: join(dir, f.name) });
      writeFileSync(temp, f.data);
    }
  } catch (error) {
    for (const s of staged) rmSync(s.temp, { force: true });
    throw error;
  }
  for (const s of staged) renameSync(s.temp, s.path);
  return staged.map((s) => s.path);
}
