// Shared look of every figure. The font is bundled (dist/web/, from dejavu-fonts-ttf) and the rasterizer loads only
// it, so a PNG is the same on every machine; browsers fall back to their sans-serif.
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_STACK = `'${FONT_FAMILY}', 'DejaVu Sans', sans-serif`;
export const TITLE_SIZE = 15;
export const LABEL_SIZE = 12;
/** 11 px: legible on a phone when the page draws a figure at the screen's width. */
export const TICK_SIZE = 11;
export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#e3e3e3';
export const BACKGROUND = '#ffffff';
/** One colour per pattern, in pattern order (Tableau 10, matplotlib's default cycle). */
export const SERIES_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const Z_COLOR = '#1f77b4';
export const A_COLOR = '#ff7f0e';

/** Rough text width for layout (no font metrics in jsdom): DejaVu Sans averages ~0.6 em. */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

/** A text on one line, or broken at the space nearest its middle when it is wider than `room` px at `size`. */
export function twoLines(text: string, room: number, size: number): string[] {
  if (textWidth(text, size) <= room) return [text];
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index!);
  if (spaces.length === 0) return [text];
  const cut = spaces.reduce((best, i) => (Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2) ? i : best));
  return [text.slice(0, cut), text.slice(cut + 1)];
}

/**
 * One marker shape per pattern, in pattern order beside SERIES_COLORS, so patterns differ by shape as
 * well as colour (grey-scale prints, colour-blind readers). Names of d3's symbol types (see marks.ts).
 */
export const SERIES_MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star', 'wye'] as const;
export type MarkerName = (typeof SERIES_MARKERS)[number];

/** The colour and marker of the i-th pattern. */
export const seriesStyle = (i: number): { color: string; marker: MarkerName } => ({ color: SERIES_COLORS[i % SERIES_COLORS.length], marker: SERIES_MARKERS[i % SERIES_MARKERS.length] });
