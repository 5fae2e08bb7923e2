import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './usageError.js';

/**
 * Refuses, before any work, an --out that names a file or a place we cannot write. Writability is
 * probed for real (permissions say little to root or on read-only mounts): an empty directory is
 * created and removed in the directory, or in its nearest existing ancestor.
 */
export function checkOutputDirectory(out: string): void {
  let at = resolve(out);
  if (existsSync(at) && !statSync(at).isDirectory()) throw new UsageError(`--out ${out} names a file, not a directory`);
  while (!existsSync(at)) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (!statSync(at).isDirectory()) throw new UsageError(`--out ${out}: ${at} is a file, so the directory cannot be created`);
  try {
    rmSync(mkdtempSync(join(at, '.rsc-probe-')), { recursive: true });
  } catch {
    throw new UsageError(`--out ${out}: cannot write in ${at}`);
  }
}
