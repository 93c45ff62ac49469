/**
 * Hierarchies written by the reference implementation (ome-zarr-py on
 * zarr-python) open in fairio: HCS plates with wells and fields, label
 * images, sharded NGFF 0.5 arrays, and a store inside a `.zip`. Pixels are
 * compared with what zarr-python reads.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, missing, python, pythonJson } from '../../tests/helpers/reference.js';
import { openOmeZarr } from './open.js';
import { summarise } from './summary.js';

const skip = missing('Python reference tools (.venv)', hasPython);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-hierarchy-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const WRITE = `
import sys, numpy as np, zarr, zipfile, os
from ome_zarr.format import FormatV04, FormatV05
from ome_zarr.writer import write_image, write_plate_metadata, write_well_metadata, write_labels
root = sys.argv[1]
rng = np.random.default_rng(1)
for version, fmt in (('0.4', FormatV04()), ('0.5', FormatV05())):
    # An HCS plate: 2 rows x 3 columns, wells A/1 and B/3, two fields each.
    plate = zarr.open_group(f'{root}/plate-{version}.ome.zarr', mode='w', zarr_format=2 if version == '0.4' else 3)
    wells = ['A/1', 'B/3']
    write_plate_metadata(plate, ['A', 'B'], ['1', '2', '3'], wells, fmt=fmt, name='test plate')
    for w in wells:
        row, col = w.split('/')
        well = plate.require_group(row).require_group(col)
        write_well_metadata(well, ['0', '1'], fmt=fmt)
        for f in ('0', '1'):
            field = well.require_group(f)
            write_image(rng.integers(0, 4000, (2, 64, 48), dtype=np.uint16), field, axes='cyx', fmt=fmt,
                        scale_factors=[2], storage_options={'chunks': (1, 32, 32)})
    # An image with a label image under labels/.
    image = zarr.open_group(f'{root}/labels-{version}.ome.zarr', mode='w', zarr_format=2 if version == '0.4' else 3)
    write_image(rng.integers(0, 255, (40, 50), dtype=np.uint8), image, axes='yx', fmt=fmt, scale_factors=[2])
    labels = np.zeros((40, 50), dtype=np.uint32); labels[5:15, 5:20] = 1; labels[20:35, 25:45] = 2
    write_labels(labels, image, name='nuclei', axes='yx', fmt=fmt, scale_factors=[2],
                 label_metadata={'colors': [{'label-value': 1, 'rgba': [255, 0, 0, 255]}]})
# A sharded NGFF 0.5 image.
sharded = zarr.open_group(f'{root}/sharded.ome.zarr', mode='w', zarr_format=3)
write_image(rng.integers(0, 60000, (3, 130, 100), dtype=np.uint16), sharded, axes='zyx', fmt=FormatV05(),
            scale_factors=[2], storage_options={'chunks': (1, 16, 16), 'shards': (1, 64, 64)})
# The 0.4 labelled image, zipped (store paths at the root of the archive).
with zipfile.ZipFile(f'{root}/labels-0.4.ome.zarr.zip', 'w') as z:
    base = f'{root}/labels-0.4.ome.zarr'
    for d, _, files in os.walk(base):
        for f in files:
            z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f), base))
`;

const HASHES = `
import hashlib, json, sys, zarr, numpy as np
out = {}
for p in sys.argv[2:]:
    a = np.ascontiguousarray(zarr.open_array(sys.argv[1] + '/' + p, mode='r')[...])
    out[p] = hashlib.sha256(a.astype(a.dtype.newbyteorder('<'), copy=False).tobytes()).hexdigest()
print(json.dumps(out))
`;

const sha = (d: ArrayBufferView) => createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');

async function expectPixelsMatch(storeRoot: string, groupPath: string): Promise<void> {
  const group = await openOmeZarr(path.join(storeRoot, groupPath));
  const image = await group.image();
  const paths = image.levels.map((l) => path.posix.join(groupPath, l.path));
  const reference = await pythonJson<Record<string, string>>(HASHES, [storeRoot, ...paths]);
  for (const level of image.levels) {
    const { data } = await image.readRegion({ level: level.index });
    expect(sha(data), `${groupPath} level ${level.index}`).toBe(reference[path.posix.join(groupPath, level.path)]);
  }
}

describe.skipIf(skip)('hierarchies written by ome-zarr-py', () => {
  beforeAll(async () => {
    await python(WRITE, [work]);
  }, 120_000);

  it.each(['0.4', '0.5'])('an HCS plate (NGFF %s): rows, columns, wells and fields', async (version) => {
    const store = path.join(work, `plate-${version}.ome.zarr`);
    const summary = await summarise(store);
    expect(summary.kind).toBe('plate');
    expect(summary.ngffVersion).toBe(version);
    expect(summary.plate).toMatchObject({ name: 'test plate', rows: ['A', 'B'], columns: ['1', '2', '3'], wells: ['A/1', 'B/3'], fieldsPerWell: 2 });
    expect(summary.plate!.firstField!.levels.map((l) => l.shape)).toEqual([
      [2, 64, 48],
      [2, 32, 24],
    ]);
    const well = await openOmeZarr(path.join(store, 'B/3'));
    expect(well.kind).toBe('well');
    expect(well.metadata!.well!.images.map((i) => i.path)).toEqual(['0', '1']);
    for (const field of ['A/1/0', 'A/1/1', 'B/3/0', 'B/3/1']) await expectPixelsMatch(store, field);
    // The plate itself is not an image, and says where the images are.
    await expect((await openOmeZarr(store)).image()).rejects.toThrow(/HCS plate: open a well field/);
  });

  it.each(['0.4', '0.5'])('a label image under labels/ (NGFF %s)', async (version) => {
    const store = path.join(work, `labels-${version}.ome.zarr`);
    const root = await openOmeZarr(store);
    expect(await root.labelNames()).toEqual(['nuclei']);
    const summary = await summarise(store);
    expect(summary.image!.labels![0].imageLabel!.colors![0]).toEqual({ 'label-value': 1, rgba: [255, 0, 0, 255] });
    await expectPixelsMatch(store, 'labels/nuclei');
    await expectPixelsMatch(store, '');
  });

  it('a sharded NGFF 0.5 image (chunks 16×16 inside 64×64 shards)', async () => {
    const store = path.join(work, 'sharded.ome.zarr');
    const image = await (await openOmeZarr(store)).image();
    expect(image.levels[0].chunks).toEqual([1, 16, 16]);
    await expectPixelsMatch(store, '');
    // A region across shard borders, in physical units, equals the same slice of the full read.
    const full = await image.readRegion({ select: { z: 1 } });
    const part = await image.readRegion({ select: { z: 1, y: [60, 70], x: [50, 80] }, units: 'physical' });
    expect(part.shape).toEqual([10, 30]);
    const w = full.shape[1];
    for (let y = 0; y < 10; y++) for (let x = 0; x < 30; x++) expect(part.data[y * 30 + x]).toBe(full.data[(60 + y) * w + 50 + x]);
  });

  it('a store inside a .zip', async () => {
    const zipped = await (await openOmeZarr(path.join(work, 'labels-0.4.ome.zarr.zip'))).image();
    const plain = await (await openOmeZarr(path.join(work, 'labels-0.4.ome.zarr'))).image();
    expect(zipped.levels.map((l) => l.shape)).toEqual(plain.levels.map((l) => l.shape));
    expect(sha((await zipped.readRegion()).data)).toBe(sha((await plain.readRegion()).data));
  });
});
