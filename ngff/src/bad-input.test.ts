/**
 * Bad input gets a clear error that names the file and the problem, never a
 * crash: corrupt chunks, invalid JSON, metadata that lies, missing levels,
 * absurd shapes, hostile paths. Each case damages a copy of a real sample.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing, shared } from '../../tests/helpers/reference.js';
import { FairioError } from './errors.js';
import { openOmeZarr } from './open.js';

const skip = missing('shared reference data', hasSharedData);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bad-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A fresh copy of a shared sample, to damage. */
function copyOf(sample: string): string {
  const dest = path.join(work, `${sample}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(shared('samples', 'ome-zarr', sample), dest, { recursive: true });
  return dest;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON
function editJson(file: string, edit: (doc: Record<string, any>) => void): void {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(doc);
  fs.writeFileSync(file, JSON.stringify(doc));
}

async function failure(run: () => Promise<unknown>): Promise<FairioError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(FairioError);
    return error as FairioError;
  }
  throw new Error('expected a FairioError');
}

const readAll = async (location: string) => {
  const image = await (await openOmeZarr(location)).image();
  for (const level of image.levels) await image.readRegion({ level: level.index });
};

describe.skipIf(skip)('bad input', () => {
  it('a truncated blosc chunk names the chunk', async () => {
    const store = copyOf('v04-image-03-with-labels.zarr');
    const chunk = path.join(store, '0', '0', '0', '0');
    fs.writeFileSync(chunk, fs.readFileSync(chunk).subarray(0, 20));
    const error = await failure(() => readAll(store));
    expect(error.code).toBe('CORRUPT_CHUNK');
    expect(error.message).toMatch(/\/0: chunk 0\/0\/0 cannot be decoded \(blosc frame is 20 bytes but its header says 35117\)/);
  });

  it('a garbage zstd chunk (Zarr v3) names the chunk', async () => {
    const store = copyOf('v05-multiscale-input9.zarr');
    fs.writeFileSync(path.join(store, '0', 'c', '1', '0', '0'), Buffer.from('not zstd at all'));
    const error = await failure(() => readAll(store));
    expect(error.code).toBe('CORRUPT_CHUNK');
    expect(error.message).toContain('c/1/0/0');
  });

  it('invalid JSON names the document', async () => {
    const store = copyOf('v05-input13.zarr');
    fs.writeFileSync(path.join(store, 'zarr.json'), '{"zarr_format": 3, "node_type": ');
    const error = await failure(() => openOmeZarr(store));
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toContain('zarr.json');
  });

  it('an array whose rank contradicts the axes is refused', async () => {
    const store = copyOf('v04-image-03-with-labels.zarr');
    editJson(path.join(store, '0', '.zarray'), (d) => {
      d.shape = [100, 100];
      d.chunks = [50, 100];
    });
    const error = await failure(() => readAll(store));
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.message).toMatch(/2 dimensions but the image declares 3 axes/);
  });

  it('a listed level whose array is missing is named', async () => {
    const store = copyOf('v05-multiscale-input9.zarr');
    fs.rmSync(path.join(store, '3'), { recursive: true });
    const error = await failure(() => readAll(store));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/level 3 \("3"\).*missing/);
  });

  it('a scale with the wrong number of entries names the field', async () => {
    const store = copyOf('v05-input13.zarr');
    editJson(path.join(store, 'zarr.json'), (d) => {
      d.attributes.ome.multiscales[0].datasets[0].coordinateTransformations[0].scale = [1];
    });
    const error = await failure(() => openOmeZarr(store));
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.message).toMatch(/datasets\[0\]\.coordinateTransformations\[0\]\.scale has 1 entries but there are 2 axes/);
  });

  it('a declared shape of 10^15 pixels opens, and reading it whole is refused before allocating', async () => {
    const store = copyOf('v05-input13.zarr');
    editJson(path.join(store, '0', 'zarr.json'), (d) => {
      d.shape = [1e7, 1e8];
    });
    const image = await (await openOmeZarr(store)).image();
    expect(image.levels[0].shape).toEqual([1e7, 1e8]);
    const error = await failure(() => image.readRegion());
    expect(error.code).toBe('SHAPE_TOO_LARGE');
    // A small region of the same image still reads (missing chunks are fill value).
    const region = await image.readRegion({ select: { Y: [0, 4], X: [0, 4] } });
    expect(region.shape).toEqual([4, 4]);
  });

  it('a dataset path that climbs out of the store is refused', async () => {
    const store = copyOf('v05-input13.zarr');
    editJson(path.join(store, 'zarr.json'), (d) => {
      d.attributes.ome.multiscales[0].datasets[0].path = '../../etc';
    });
    const error = await failure(() => openOmeZarr(store));
    expect(error.code).toBe('INVALID_METADATA');
    expect(error.message).toContain('not a relative path');
  });

  it('a missing store is named', async () => {
    const error = await failure(() => openOmeZarr(path.join(work, 'nothing-here.zarr')));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('nothing-here.zarr');
  });

  it('a TIFF given where OME-Zarr is expected says to convert it', async () => {
    const tiff = shared('samples', 'tiff', 'sample.tiff');
    const error = await failure(() => openOmeZarr(tiff));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(`${tiff}: is a file, not an OME-Zarr folder or .zip; convert a TIFF first with \`fairio convert IN OUT.ome.zarr\``);
  });
});
