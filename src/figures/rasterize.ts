import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { builtFile } from '../builtFile.js';
import { FONT_FAMILY } from './theme.js';

/** The bundled faces (regular, and bold for titles), copied into dist/web/ by the build (the page loads the same files): the only fonts the rasterizer sees, so PNGs match on every machine. */
export const FONT_FILES = ['dist/web/DejaVuSans.ttf', 'dist/web/DejaVuSans-Bold.ttf'].map(builtFile);

const options = (zoom: number): ResvgRenderOptions => ({
  font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  fitTo: { mode: 'zoom', value: zoom },
  background: '#ffffff',
});

/** PNG bytes of an SVG document, at `zoom` × its pixel size. */
export function rasterize(svgText: string, zoom = 1): Buffer {
  return new Resvg(svgText, options(zoom)).render().asPng();
}

/** The same off the main thread (libuv's pool), so several figures rasterize at once. */
export async function rasterizeAsync(svgText: string, zoom = 1): Promise<Buffer> {
  return (await renderAsync(svgText, options(zoom))).asPng();
}
