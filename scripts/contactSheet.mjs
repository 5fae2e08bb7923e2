// A contact sheet of every PNG in the given run folders, to look at them side by side:
//   node scripts/contactSheet.mjs OUT.png DIR [DIR …]
// Thumbnails 400 px wide, three to a row, each captioned with its folder and file name.
import { Resvg } from '@resvg/resvg-js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [out, ...dirs] = process.argv.slice(2);
if (!out || dirs.length === 0) throw new Error('usage: node scripts/contactSheet.mjs OUT.png DIR [DIR …]');
const W = 400, COLS = 3, GAP = 16, CAPTION = 18;
const pngSize = (bytes) => ({ w: bytes.readUInt32BE(16), h: bytes.readUInt32BE(20) });
const cells = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => ({ dir, f, bytes: readFileSync(join(dir, f)) })));
let y = GAP, svg = '';
for (let i = 0; i < cells.length; i += COLS) {
  const row = cells.slice(i, i + COLS);
  const h = Math.max(...row.map((c) => (pngSize(c.bytes).h * W) / pngSize(c.bytes).w));
  row.forEach((c, j) => {
    const x = GAP + j * (W + GAP), ch = (pngSize(c.bytes).h * W) / pngSize(c.bytes).w;
    const label = `${basename(c.dir)}/${c.f}`.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    svg += `<text x="${x}" y="${y + 13}" font-size="12" font-family="DejaVu Sans">${label}</text>`;
    svg += `<image x="${x}" y="${y + CAPTION}" width="${W}" height="${ch}" href="data:image/png;base64,${c.bytes.toString('base64')}"/>`;
    svg += `<rect x="${x}" y="${y + CAPTION}" width="${W}" height="${ch}" fill="none" stroke="#ccc"/>`;
  });
  y += CAPTION + h + GAP;
}
const width = GAP + COLS * (W + GAP);
const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}"><rect width="100%" height="100%" fill="white"/>${svg}</svg>`;
const font = { fontFiles: ['dist/web/DejaVuSans.ttf'], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' };
writeFileSync(out, new Resvg(doc, { font }).render().asPng());
console.log(`${out}: ${cells.length} figures`);
