// Where the page's own files come from (the kernel builds, the shard worker's script, the fonts): next to the page,
// wherever it is hosted and under any subpath, or inlined by the single-file build (scripts/singleFile.mjs), whose
// HTML defines RELU_SPREAD_CHECK_FILES (file name → base64) before the page's code runs, so it opens from disk.
const inlined = (globalThis as { RELU_SPREAD_CHECK_FILES?: Record<string, string> }).RELU_SPREAD_CHECK_FILES;

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** A kernel build's file, compiled: streamed from next to the page, or from its inlined bytes. */
export function compileKernelFile(file: string): Promise<WebAssembly.Module> {
  const data = inlined?.[file];
  return data === undefined ? WebAssembly.compileStreaming(fetch(file)) : WebAssembly.compile(bytesOf(data));
}

let workerBlob: string | undefined;
/**
 * A shard worker: a module worker of the script next to the page (as `besidePage` resolves it), or a classic worker
 * of a blob: URL of its inlined text. A page opened from disk has an opaque origin, for which Chromium starts
 * classic workers from blob: URLs but not module ones; the bundled script imports nothing, so it runs as either.
 */
export function startShardWorker(besidePage: URL): Worker {
  const data = inlined?.['shardWorker.js'];
  if (data === undefined) return new Worker(besidePage, { type: 'module' });
  workerBlob ??= URL.createObjectURL(new Blob([new TextDecoder().decode(bytesOf(data))], { type: 'text/javascript' }));
  return new Worker(workerBlob);
}

// inlined, the stylesheet's @font-face rules are the page's to add (the single file holds each font once)
if (inlined && typeof document !== 'undefined') {
  const face = (file: string, weight: string) => `@font-face { font-family: 'DejaVu Sans'; font-weight: ${weight}; src: url(${pageFileUrl(file, 'font/ttf')}) format('truetype'); }`;
  document.head.append(Object.assign(document.createElement('style'), { textContent: `${face('DejaVuSans.ttf', 'normal')}\n${face('DejaVuSans-Bold.ttf', 'bold')}` }));
}

/** A file to fetch (a font): its name next to the page, or a data: URL of its inlined bytes. */
export function pageFileUrl(file: string, type: string): string {
  const data = inlined?.[file];
  return data === undefined ? file : `data:${type};base64,${data}`;
}
