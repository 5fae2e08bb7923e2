import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureSet } from '../../src/figures/figureSet.js';
import { jsdomDocument } from '../../src/figures/jsdomDocument.js';
import { domSvgXml, serializeSvg } from '../../src/figures/serializeSvg.js';

// The figures' own serializer must write exactly what the DOM's XMLSerializer writes (the committed
// snapshots and the default run's files were made by it), and hand anything it does not know back to it.
const RUNS = ['backward-run.json', 'seeds-run.json', 'spectrum-run.json', 'blocks-run.json', 'depth-run.json', 'attention-run.json'];
const patternsOf = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')).patterns;

describe('serializing a figure', () => {
  it('gives the XMLSerializer\'s text for every figure of 6 fixture runs, byte for byte', () => {
    const document = jsdomDocument();
    let figures = 0;
    for (const run of RUNS) {
      for (const job of figureSet(patternsOf(run), { logCounts: run === 'seeds-run.json' })) {
        const { ours, dom } = domSvgXml(job.build({ document }));
        expect(ours, `${run}: ${job.name}`).toBe(dom);
        figures++;
      }
    }
    expect(figures).toBeGreaterThan(40);
  });

  it('escapes text and attributes as the XMLSerializer does, and hands a tree with other namespaces back to it', () => {
    const document = jsdomDocument();
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const text = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    text.setAttribute('data-note', 'a < b & "c" > d\tе\nf\r');
    text.setAttributeNS('http://www.w3.org/XML/1998/namespace', 'xml:space', 'preserve');
    text.textContent = 'E[z²] < 1 & "quoted" > 0';
    svg.append(text, document.createElementNS('http://www.w3.org/2000/svg', 'g'));
    const { ours, dom } = domSvgXml(svg as SVGSVGElement);
    expect(ours).toBe(dom);
    svg.append(document.createElementNS('http://www.w3.org/1999/xhtml', 'div'));
    expect(domSvgXml(svg as SVGSVGElement).ours).toBeNull();
    expect(serializeSvg(svg as SVGSVGElement)).toContain(domSvgXml(svg as SVGSVGElement).dom.slice(0, 40));
  });
});
