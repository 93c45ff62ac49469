import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, pythonJson, shared } from '../../tests/helpers/reference.js';
import { serveFolder } from '../../tests/helpers/static-server.js';
import { openOmeZarr, type OmeZarrGroup } from './open.js';
import type { OmeZarrImage } from './image.js';

const samplesDir = shared('samples', 'ome-zarr');
const skip = missing('shared reference data', hasSharedData) || missing('Python reference tools (.venv)', hasPython);

/** Every image reachable from a store: the root image, bioformats2raw series, label images. */
async function imagesIn(group: OmeZarrGroup): Promise<OmeZarrImage[]> {
  const found: OmeZarrImage[] = [];
  if (group.kind === 'image') {
    found.push(await group.image());
    for (const name of await group.labelNames()) found.push(await (await group.child(`labels/${name}`)).image());
  }
  for (const s of await group.seriesPaths()) found.push(...(await imagesIn(await group.child(s))));
  return found;
}

function sha256(data: ArrayBufferView): string {
  return createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');
}

// zarr-python is the independent reference: hash of every level's pixels in C order, little endian.
const ZARR_PYTHON_HASHES = `
import hashlib, json, sys, zarr, numpy as np
out = {}
for path in sys.argv[2:]:
    a = zarr.open_array(sys.argv[1] + '/' + path, mode='r')[...]
    a = np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<'), copy=False)
    out[path] = {'sha256': hashlib.sha256(a.tobytes()).hexdigest(), 'shape': list(a.shape), 'dtype': str(a.dtype)}
print(json.dumps(out))
`;

describe.skipIf(skip)('every shared OME-Zarr sample opens and matches zarr-python', () => {
  const stores = skip ? [] : fs.readdirSync(samplesDir).filter((d) => d.endsWith('.zarr'));

  it('finds the four samples', () => {
    expect(stores.length).toBeGreaterThanOrEqual(4);
  });

  it.each(stores)('%s', async (name) => {
    const location = `${samplesDir}/${name}`;
    const images = await imagesIn(await openOmeZarr(location));
    expect(images.length).toBeGreaterThan(0);
    const levels = images.flatMap((im) => im.levels);
    const reference = await pythonJson<Record<string, { sha256: string; shape: number[] }>>(ZARR_PYTHON_HASHES, [location, ...levels.map((l) => l.path)]);
    for (const image of images) {
      for (const level of image.levels) {
        const region = await image.readRegion({ level: level.index });
        expect(region.shape, level.path).toEqual(reference[level.path].shape);
        expect(sha256(region.data), level.path).toBe(reference[level.path].sha256);
      }
    }
  });
});

describe.skipIf(skip)('reading over HTTP', () => {
  it('gives the same pixels as the local store', async () => {
    const server = await serveFolder(samplesDir);
    try {
      const remote = await (await openOmeZarr(`${server.url}/v05-multiscale-input9.zarr`)).image();
      const local = await (await openOmeZarr(`${samplesDir}/v05-multiscale-input9.zarr`)).image();
      expect(remote.levels.length).toBe(local.levels.length);
      for (const level of local.levels) {
        const a = await remote.readRegion({ level: level.index });
        const b = await local.readRegion({ level: level.index });
        expect(sha256(a.data)).toBe(sha256(b.data));
      }
      expect(server.requests.some((r) => r.endsWith('zarr.json'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('names the URL when nothing is there', async () => {
    const server = await serveFolder(samplesDir);
    try {
      await expect(openOmeZarr(`${server.url}/nope.zarr`)).rejects.toThrow(/nope\.zarr.*no Zarr group/);
    } finally {
      await server.close();
    }
  });
});
