import { OPTIONS } from '../model/optionTable.js';
import type { OptionTexts } from './parseOptions.js';

/** A shell word: as it is when it is safe, else in single quotes. */
export const shellWord = (s: string) => (/^[\w.,:+=/@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The command line that runs what these option texts describe: `npx relu-spread-check --batch 1024 …`, in table order, leaving out values that are the CLI's defaults. */
export function cliCommand(texts: OptionTexts): string {
  const parts = ['npx', 'relu-spread-check'];
  for (const o of OPTIONS) {
    const value = texts[o.flag];
    if (value === undefined || value === false) continue;
    if ('default' in o && !Array.isArray(value) && String(value).trim() === String(o.default)) continue;
    if (value === true) parts.push(`--${o.flag}`);
    else if (Array.isArray(value)) for (const v of value) parts.push(`--${o.flag}`, shellWord(String(v)));
    else parts.push(`--${o.flag}`, shellWord(String(value)));
  }
  return parts.join(' ');
}
