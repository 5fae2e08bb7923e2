import { JSDOM } from 'jsdom';
import { expect } from 'vitest';

const window = new JSDOM('').window;

/** Parses `text` with jsdom's strict XML parser and fails with the parser's message if it is malformed. */
export function expectWellFormedXml(text: string, name: string): void {
  const doc = new window.DOMParser().parseFromString(text, 'application/xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  expect(error?.textContent ?? null, `${name} is not well-formed XML`).toBeNull();
}
