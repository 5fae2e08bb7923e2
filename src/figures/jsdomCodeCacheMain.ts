// Build step (scripts/build.mjs runs dist/jsdomCodeCache.js): the V8 code cache of the jsdom bundle,
// made after a line chart is drawn and serialized on it, so the jsdom functions figures call are in it.
// `--check` instead says whether this process's V8 takes the cache the build made (the tests ask).
import { JSDOM_BUNDLE, loadJsdom, writeJsdomCodeCache } from './loadJsdom.js';
import { lineFigure } from './lineFigure.js';
import { serializeSvg } from './serializeSvg.js';
import { seriesStyle } from './theme.js';

const layers = Array.from({ length: 20 }, (_, i) => i + 1);

function drawSample(document: Document): void {
  const series = [0.5, 1, 2].map((gain, i) => ({
    name: `gain ${gain}`,
    ...seriesStyle(i),
    points: layers.map((x) => ({ x, y: gain ** x })),
    band: layers.map((x) => ({ x, lo: 0.9 * gain ** x, hi: 1.1 * gain ** x })),
  }));
  const theory = series.map((s) => ({ ...s, name: `${s.name} theory`, dashed: true, legend: false, theoryOf: s.name, band: undefined }));
  serializeSvg(lineFigure({ title: 'E[a²] by layer', xLabel: 'layer', yLabel: 'E[a²]', yScale: 'log', series: [...theory, ...series], note: 'a sample' }, { document }));
}

if (process.argv.includes('--check')) {
  console.log(loadJsdom().cached ? 'cached' : 'compiled');
} else {
  const bytes = writeJsdomCodeCache(drawSample);
  console.log(`${JSDOM_BUNDLE}.v8cache: ${(bytes / 1048576).toFixed(1)} MB`);
}
