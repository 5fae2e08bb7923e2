import { inflateSync } from 'node:zlib';

/**
 * Decodes a PNG far enough to prove it is whole: signature, IHDR, and IDAT data that inflates to
 * exactly height × (1 + width × bytes per pixel). Returns its size.
 */
export function decodePngSize(png: Uint8Array): { width: number; height: number } {
  const buf = Buffer.from(png);
  if (buf.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG signature');
  let at = 8, width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (at < buf.length) {
    const length = buf.readUInt32BE(at), type = buf.subarray(at + 4, at + 8).toString('latin1');
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8) throw new Error('expected 8-bit samples');
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[data[9]];
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (1 + width * channels)) throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * (1 + width * channels)}`);
  return { width, height };
}
