import { loadJsdom } from './loadJsdom.js';

/** A document for building figures in Node (the page passes its own `document`): jsdom's, from the build's bundle. */
export function jsdomDocument(): Document {
  const { JSDOM } = loadJsdom().jsdom;
  return new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
}
