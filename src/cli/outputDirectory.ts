import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LISTING, OutputConflict, outputConflict } from '../metrics/outputListing.js';
import { writeListedOutputs, type OutputFile } from '../metrics/writeOutputs.js';
import { UsageError } from './usageError.js';

/**
 * Refuses, before any work, an --out that names a file or a place we cannot write, or a folder
 * holding a file of the names every such run writes (`written`, and run.json) that this tool did
 * not write as it is (see outputListing.ts). Writability is probed for real (permissions say little
 * to root or on read-only mounts): an empty directory is created and removed in the directory, or
 * in its nearest existing ancestor.
 */
export function checkOutputDirectory(out: string, written: readonly string[] = []): void {
  let at = resolve(out);
  if (existsSync(at) && !statSync(at).isDirectory()) throw new UsageError(`--out ${out} names a file, not a directory`);
  if (existsSync(at)) {
    const conflict = outputConflict(at, [...written, LISTING]);
    if (conflict) throw new UsageError(`--out ${out}: ${conflict}`);
  }
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

/**
 * Writes a run's or a sweep's outputs and its run.json into --out (writeListedOutputs): a refusal
 * to replace what this tool did not write is one line naming --out (exit 2, nothing written), and
 * each earlier output left alone is one line on stderr.
 */
export function writeRunOutputs(out: string, files: OutputFile[], facts: Record<string, unknown>): string[] {
  try {
    return writeListedOutputs(out, files, facts, (line) => process.stderr.write(`relu-spread-check: --out ${out}: ${line}\n`));
  } catch (error) {
    throw error instanceof OutputConflict ? new UsageError(`--out ${out}: ${error.message}`) : error;
  }
}
