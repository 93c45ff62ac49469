// The browser-side writer's files, put on disk, are an OME-Zarr 0.5 image that
// fairio's reader and validator accept, with the pixels given (edge chunks padded).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOmeZarr } from '../open.js';
import { readBox } from '../read-box.js';
import { validateStore } from '../validate/index.js';
import { omeZarrFiles } from './files.js';

describe('omeZarrFiles', () => {
  it('writes a one-level 0.5 image with padded edge chunks that reads back exactly', async () => {
    const shape = [2, 70, 45];
    const data = Float32Array.from({ length: 2 * 70 * 45 }, (_, i) => Math.sin(i) * 100);
    const files = omeZarrFiles({ data, shape, chunks: [1, 32, 32], axes: [{ name: 'c', type: 'channel' }, { name: 'y', type: 'space', unit: 'micrometer' }, { name: 'x', type: 'space', unit: 'micrometer' }], scale: [1, 0.5, 0.5], translation: [0, 10, 5], name: 'prediction' });
    expect(files.length).toBe(2 + 2 * 3 * 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-files-'));
    const root = path.join(dir, 'out.ome.zarr');
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
      fs.writeFileSync(path.join(root, f.path), f.bytes);
    }
    const image = await (await openOmeZarr(root)).image();
    expect(image.levels[0].shape).toEqual(shape);
    const back = await readBox(image.levels[0].array, [0, 0, 0], shape, root);
    expect(Array.from(back)).toEqual(Array.from(data));
    const report = await validateStore(root);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
