/** Small OME-Zarr images and folders for the provenance tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { arraySource, writeImage } from '@fairio/ngff';

/** A fresh temporary folder, removed by the caller (or left for the OS). */
export function tempDir(prefix = 'fairio-provenance-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A two-channel 64×48 uint16 image (c, y, x) with a bright square, as OME-NGFF 0.5 (or 0.4). */
export async function makeImage(file: string, options: { ngff?: '0.4' | '0.5' } = {}): Promise<string> {
  const [c, h, w] = [2, 48, 64];
  const data = new Uint16Array(c * h * w);
  for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(k * h + y) * w + x] = (x > 16 && x < 40 && y > 10 && y < 30 ? 3000 : 200) + k * 100 + ((x * 7 + y * 3) % 50);
  await writeImage(file, arraySource(data, [c, h, w], 'uint16'), {
    ngff: options.ngff ?? '0.5',
    axes: [{ name: 'c', type: 'channel' }, { name: 'y', type: 'space', unit: 'micrometer' }, { name: 'x', type: 'space', unit: 'micrometer' }],
    scale: [1, 0.325, 0.325],
    chunks: [1, 32, 32],
    channels: [{ label: 'DAPI', color: '0000FF' }, { label: 'GFP', color: '00FF00' }],
    name: 'test nuclei',
    workers: 0,
  });
  return file;
}

/** A small "TIFF" input (only the signature matters to the crate). */
export function makeInput(file: string, bytes = 4096): string {
  const data = Buffer.alloc(bytes);
  data.write('II*\0', 0, 'latin1');
  for (let i = 4; i < bytes; i++) data[i] = (i * 31) & 0xff;
  fs.writeFileSync(file, data);
  return file;
}
