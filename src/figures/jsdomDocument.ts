import { JSDOM } from 'jsdom';

/** A document for building figures in Node (the page passes its own `document`). */
export function jsdomDocument(): Document {
  return new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
}
