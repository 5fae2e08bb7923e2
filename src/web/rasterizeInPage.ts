import { pageFileUrl } from '../pageAssets.js';

/** The bundled faces (regular and bold) as data URLs, so SVG rendered through an <img> uses them too. */
let fontCss: Promise<string> | undefined;
function embeddedFont(): Promise<string> {
  const face = (file: string, weight: string) =>
    fetch(pageFileUrl(file, 'font/ttf'))
      .then((r) => r.arrayBuffer())
      .then((bytes) => {
        let binary = '';
        const view = new Uint8Array(bytes);
        // 32 KiB at a time: String.fromCharCode takes its arguments on the stack
        for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
        return `@font-face { font-family: 'DejaVu Sans'; font-weight: ${weight}; src: url(data:font/ttf;base64,${btoa(binary)}) format('truetype'); }`;
      });
  fontCss ??= Promise.all([face('DejaVuSans.ttf', 'normal'), face('DejaVuSans-Bold.ttf', 'bold')]).then((faces) => faces.join('\n'));
  return fontCss;
}

/** PNG of an SVG file's text, drawn by the browser at its pixel size. */
export async function rasterizeInPage(svgText: string): Promise<Blob> {
  const css = await embeddedFont();
  const withFont = svgText.replace(/(<svg[^>]*>)/, `$1<style>${css}</style>`);
  const url = URL.createObjectURL(new Blob([withFont], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext('2d')!.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(name: string, data: Blob | string, type = 'application/octet-stream'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
