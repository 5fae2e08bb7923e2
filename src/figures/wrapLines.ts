import { textWidth } from './theme.js';

/** A text broken at spaces into lines of at most `room` px at `size` (by textWidth's estimate); a word wider than `room` keeps its own line. */
export function wrapLines(text: string, room: number, size: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && textWidth(`${lines[last]} ${word}`, size) <= room) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}
