import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * run.json, the listing a run leaves in its folder: the names of the files it wrote (`files`) and the
 * sha256 of each (`sha256`, name → hex; run.json itself has none). The next run into the folder
 * trusts `sha256` for two things only: replacing a plain file whose content still has the listed
 * sha256, and removing such a file when it does not write it again. Anything else in the folder (a
 * file the listing does not name, one changed since, a folder, a link) is never replaced nor
 * removed, and a run that would have to replace such a file is refused before its first write.
 * A listing is no signature: it guards against edited, stale, older and hand-written listings, not
 * against someone who puts the exact sha256 of a file's content in it.
 */
export const LISTING = 'run.json';
export const TOOL = 'relu-spread-check';

/** Temporary names start with this, so an interrupted run's leftovers are recognisable. */
export const TEMP_PREFIX = '.rsc-tmp-';

/** What a listing may name: a plain file name of the kind the tool writes, nothing with a path in it. */
const LISTABLE = /^[^/\\\0]+\.(png|svg|json|csv)$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** Why a file the listing names is not replaced nor removed: changed since, or never what the listing says. */
export const CHANGED = `is not as ${LISTING} says this tool wrote it (its sha256 differs), so it is left alone`;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A run's refusal to replace what it did not write; the front door names its flag (--out). */
export class OutputConflict extends Error {
  override name = 'OutputConflict';
}

/** The files a listing vouches for (name → sha256), or why the folder's run.json vouches for none. */
export type Listing = { files: Map<string, string> } | { foreign: string } | null;

/** Whether `path` is a plain file (not a folder, not a link), 'missing' if nothing is there. */
function plainFile(path: string): boolean | 'missing' {
  try {
    return lstatSync(path).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

/** The sha256 of the plain file at `path` now (undefined when it is missing or not a plain file). */
export function fileSha256(path: string): string | undefined {
  return plainFile(path) === true ? sha256(readFileSync(path)) : undefined;
}

/** The listing in `dir`: null when there is none, `foreign` (with the reason) when it is not one this tool wrote with hashes. */
export function readListing(dir: string): Listing {
  const path = join(dir, LISTING), kind = plainFile(path);
  if (kind === 'missing') return null;
  if (!kind) return { foreign: `${LISTING} is not a plain file` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { foreign: `${LISTING} is not JSON` };
  }
  const { tool, sha256: hashes } = (parsed ?? {}) as { tool?: unknown; sha256?: unknown };
  if (tool !== TOOL) return { foreign: `${LISTING} was not written by ${TOOL}` };
  if (hashes === null || typeof hashes !== 'object' || Array.isArray(hashes)) return { foreign: `${LISTING} gives no sha256 of its files (an older version's, or edited)` };
  const vouched = Object.entries(hashes).filter((e): e is [string, string] => LISTABLE.test(e[0]) && !e[0].startsWith(TEMP_PREFIX) && e[0] !== LISTING && typeof e[1] === 'string' && SHA256.test(e[1]));
  return { files: new Map(vouched) };
}

/**
 * Why writing `names` into `dir` would replace something this tool did not write as it is, or
 * undefined when it would not: every name already there must be a plain file whose sha256 the
 * folder's listing gives (run.json itself: a listing of ours).
 */
export function outputConflict(dir: string, names: readonly string[], listing: Listing = readListing(dir)): string | undefined {
  const advice = 'move it away or choose another folder';
  for (const name of names) {
    const path = join(dir, name), kind = plainFile(path);
    if (kind === 'missing') continue;
    if (!kind) return `${name} is there and is not a plain file; ${advice}`;
    if (name === LISTING) {
      if (listing && 'foreign' in listing) return `${listing.foreign}, so it is left alone; ${advice}`;
      continue;
    }
    if (!listing || 'foreign' in listing) return `${name} is there and ${listing ? `${listing.foreign}` : `no ${LISTING} says this tool wrote it`}, so it is left alone; ${advice}`;
    const listed = listing.files.get(name);
    if (listed === undefined) return `${name} is there and ${LISTING} does not list it, so it is left alone; ${advice}`;
    if (fileSha256(path) !== listed) return `${name} ${CHANGED}; ${advice}`;
  }
  return undefined;
}

/**
 * The previous run's files that a run writing `names` leaves behind: `stale` (still as that run
 * wrote them: to remove, with their sha256) and `kept` (changed since, or no longer plain files:
 * left alone, one line each).
 */
export function leftBehind(dir: string, names: readonly string[], listing: Listing = readListing(dir)): { stale: { name: string; sha256: string }[]; kept: string[] } {
  const stale: { name: string; sha256: string }[] = [], kept: string[] = [];
  if (!listing || 'foreign' in listing) return { stale, kept };
  const writing = new Set(names);
  for (const [name, listed] of listing.files) {
    if (writing.has(name)) continue;
    const path = join(dir, name), kind = plainFile(path);
    if (kind === 'missing') continue;
    if (kind && fileSha256(path) === listed) stale.push({ name, sha256: listed });
    else kept.push(`${name} ${kind ? CHANGED : 'is not a plain file, so it is left alone'}`);
  }
  return { stale, kept };
}
