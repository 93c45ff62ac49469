/**
 * writeTiff: what it writes is read back identically by tifffile (the
 * reference) and by openTiff — classic and BigTIFF, strips and tiles, raw and
 * Deflate, several pages, RGB, OME-XML and ImageJ descriptions.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FairioError } from '../errors.js';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { openTiff, writeTiff } from './index.js';
import type { TiffDataType, TypedArray, WriteTiffOptions } from './index.js';
import { needsBigTiff, rational } from './writer.js';

const constructors: Record<TiffDataType, new (n: number) => TypedArray> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array,
  uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

/** Deterministic planes with structure (so Deflate has work) and sign/fraction where the type allows. */
function makePlanes(o: WriteTiffOptions): TypedArray[] {
  const n = o.width * o.height * (o.samplesPerPixel ?? 1);
  return Array.from({ length: o.planeCount }, (_, p) => {
    const a = new constructors[o.dtype](n);
    for (let i = 0; i < n; i++) a[i] = o.dtype.startsWith('float') ? Math.sin(i / 17 + p) * 1000.5 : ((i * 31 + p * 7) % 251) - (o.dtype.startsWith('int') ? 100 : 0);
    return a;
  });
}

const sha = (parts: TypedArray[]): string => {
  const h = createHash('sha256');
  for (const a of parts) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
};

const omeXml = `<?xml version="1.0" encoding="UTF-8"?>
<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" UUID="urn:uuid:00000000-0000-0000-0000-000000000001">
<Image ID="Image:0" Name="synthetic"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="40" SizeY="30" SizeZ="3" SizeC="2" SizeT="1" PhysicalSizeX="0.65" PhysicalSizeY="0.65" PhysicalSizeZ="1.5">
<Channel ID="Channel:0:0" Name="nuclei" SamplesPerPixel="1" Color="-16776961"/><Channel ID="Channel:0:1" Name="membrane" SamplesPerPixel="1" Color="16711935"/>
<TiffData IFD="0" PlaneCount="6"/></Pixels></Image></OME>`;

const cases: Record<string, WriteTiffOptions> = {
  'classic_u16_pages.tif': { width: 70, height: 100, dtype: 'uint16', planeCount: 3, rowsPerStrip: 16 },
  'bigtiff_f32.tif': { width: 33, height: 21, dtype: 'float32', planeCount: 2, bigTiff: true },
  'tiled_u8.tif': { width: 130, height: 100, dtype: 'uint8', planeCount: 1, tile: [32, 48] },
  'deflate_i16.tif': { width: 64, height: 50, dtype: 'int16', planeCount: 2, compression: 'deflate', rowsPerStrip: 7 },
  'deflate_tiled_bigtiff_f64.tif': { width: 50, height: 40, dtype: 'float64', planeCount: 2, compression: 'deflate', tile: [16, 32], bigTiff: true },
  'rgb_u8.tif': { width: 30, height: 20, dtype: 'uint8', planeCount: 1, samplesPerPixel: 3 },
  'i8.tif': { width: 9, height: 7, dtype: 'int8', planeCount: 1 },
  'u32.tif': { width: 9, height: 7, dtype: 'uint32', planeCount: 1 },
  'i32_deflate.tif': { width: 9, height: 7, dtype: 'int32', planeCount: 2, compression: 'deflate' },
  'ome.ome.tif': { width: 40, height: 30, dtype: 'uint16', planeCount: 6, description: omeXml, compression: 'deflate' },
  'imagej.tif': {
    width: 24, height: 16, dtype: 'uint8', planeCount: 6,
    description: 'ImageJ=1.54f\nimages=6\nchannels=2\nslices=3\nhyperstack=true\nunit=micron\nspacing=0.7\n',
  },
  // ImageJ reads the planes of a hyperstack as one block: they must lie back to back (odd offsets included).
  'imagej_u16_odd.tif': { width: 32, height: 24, dtype: 'uint16', planeCount: 2, description: 'ImageJ=1.53t\nimages=2\n', resolution: { x: 4, y: 5 } },
};

interface Ref {
  series: { axes: string; shape: number[]; dtype: string; kind: string; sha256: string }[];
  bigtiff: boolean;
  compression: number;
  tiled: boolean;
  tile: number[];
  description: string;
}

const skip = missing('python reference (.venv with tifffile)', hasPython);

describe.skipIf(skip)('writeTiff round trips', () => {
  let tmp: string;
  let refs: Record<string, Ref>;
  const written: Record<string, TypedArray[]> = {};

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-tiff-writer-'));
    for (const [name, options] of Object.entries(cases)) {
      written[name] = makePlanes(options);
      // Planes from an async generator, as a converter streams them.
      const planes = written[name];
      await writeTiff(path.join(tmp, name), (async function* () { yield* planes; })(), options);
    }
    refs = await pythonJson<Record<string, Ref>>(
      `
import json, sys, os, hashlib, numpy as np, tifffile
out = {}
for name in sorted(os.listdir(sys.argv[1])):
    with tifffile.TiffFile(os.path.join(sys.argv[1], name)) as t:
        p = t.pages[0]
        series = []
        for s in t.series:
            a = np.ascontiguousarray(s.asarray())
            series.append({'axes': s.axes, 'shape': list(s.shape), 'dtype': str(s.dtype), 'kind': s.kind,
                           'sha256': hashlib.sha256(a.astype(a.dtype.newbyteorder('<')).tobytes()).hexdigest()})
        out[name] = {'series': series, 'bigtiff': t.is_bigtiff, 'compression': int(p.compression), 'tiled': p.is_tiled,
                     'tile': [p.tilelength, p.tilewidth], 'description': p.description}
print(json.dumps(out))
`,
      [tmp],
    );
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const [name, options] of Object.entries(cases)) {
    it(`${name}: tifffile and openTiff read back the planes written`, async () => {
      const ref = refs[name];
      const expectedSha = sha(written[name]);
      expect(ref.series).toHaveLength(1);
      expect(ref.series[0].sha256).toBe(expectedSha);
      expect(ref.series[0].dtype).toBe(options.dtype);
      expect(ref.bigtiff).toBe(options.bigTiff ?? false);
      expect(ref.compression).toBe(options.compression === 'deflate' ? 8 : 1);
      expect(ref.tiled).toBe(options.tile !== undefined);
      if (options.tile) expect(ref.tile).toEqual(options.tile);
      if (options.description) expect(ref.description).toBe(options.description.trimEnd()); // tifffile trims

      const tiff = await openTiff(path.join(tmp, name));
      const [series] = tiff.series;
      expect(series.dtype).toBe(options.dtype);
      expect(series.planeCount).toBe(options.planeCount);
      const planes: TypedArray[] = [];
      for (let p = 0; p < series.planeCount; p++) planes.push(await series.readWindow(p, 0, options.height, 0, options.width));
      expect(sha(planes)).toBe(expectedSha);
      await tiff.close();
    });
  }

  it('an OME-XML description makes an OME-TIFF for both readers', async () => {
    expect(refs['ome.ome.tif'].series[0]).toMatchObject({ kind: 'ome', axes: 'CZYX', shape: [2, 3, 30, 40] });
    const tiff = await openTiff(path.join(tmp, 'ome.ome.tif'));
    const [series] = tiff.series;
    expect(series).toMatchObject({ kind: 'ome', axes: ['c', 'z', 'y', 'x'], shape: [2, 3, 30, 40], name: 'synthetic' });
    expect(series.channelNames).toEqual(['nuclei', 'membrane']);
    expect(series.channelColors).toEqual(['FF0000', '00FF00']);
    expect(series.physicalSizes.z).toEqual({ value: 1.5, unit: 'micrometer' });
    await tiff.close();
  });

  it('an ImageJ description makes a hyperstack for both readers', async () => {
    expect(refs['imagej.tif'].series[0]).toMatchObject({ kind: 'imagej', axes: 'ZCYX', shape: [3, 2, 16, 24] });
    const tiff = await openTiff(path.join(tmp, 'imagej.tif'));
    expect(tiff.series[0]).toMatchObject({ kind: 'imagej', axes: ['z', 'c', 'y', 'x'], shape: [3, 2, 16, 24] });
    expect(tiff.series[0].physicalSizes.z).toEqual({ value: 0.7, unit: 'micrometer' });
    await tiff.close();
  });

  it('RGB planes are interleaved samples', () => {
    expect(refs['rgb_u8.tif'].series[0]).toMatchObject({ axes: 'YXS', shape: [20, 30, 3] });
  });
});

describe('writeTiff arguments and limits', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-tiff-writer-args-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const base: WriteTiffOptions = { width: 8, height: 4, dtype: 'uint16', planeCount: 2 };

  it('refuses planes of the wrong type or length, and leaves no file behind', async () => {
    const file = path.join(tmp, 'bad.tif');
    await expect(writeTiff(file, [new Uint8Array(32), new Uint8Array(32)], base)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(writeTiff(file, [new Uint16Array(31)], base)).rejects.toThrow(/plane 0 must be a Uint16Array of 32 values/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('refuses too few or too many planes', async () => {
    const file = path.join(tmp, 'count.tif');
    await expect(writeTiff(file, [new Uint16Array(32)], base)).rejects.toThrow(/only 1 of 2 planes/);
    await expect(writeTiff(file, [1, 2, 3].map(() => new Uint16Array(32)), base)).rejects.toThrow(/more planes/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('refuses tiles that are not multiples of 16', async () => {
    await expect(writeTiff(path.join(tmp, 't.tif'), [], { ...base, tile: [10, 16] })).rejects.toBeInstanceOf(FairioError);
  });

  it('writes resolution tags: an ImageJ calibration (pixels per unit, unit none) reads back as the pixel size', async () => {
    const file = path.join(tmp, 'calibrated.tif');
    const description = 'ImageJ=1.53t\nimages=2\nslices=2\nunit=micron\nspacing=0.7\n';
    await writeTiff(file, [new Uint16Array(32), new Uint16Array(32)], { ...base, description, resolution: { x: 1 / 0.65, y: 1 / 0.25 } });
    const tiff = await openTiff(file);
    const sizes = tiff.series[0].physicalSizes;
    expect(sizes.x?.unit).toBe('micrometer');
    expect(sizes.x?.value).toBeCloseTo(0.65, 12);
    expect(sizes.y?.value).toBeCloseTo(0.25, 12);
    expect(sizes.z).toEqual({ value: 0.7, unit: 'micrometer' });
    await tiff.close();
    await expect(writeTiff(file, [], { ...base, resolution: { x: 0, y: 1 } })).rejects.toThrow(/resolution must be positive/);
  });

  it('stores resolutions as the closest 32-bit fraction', () => {
    expect(rational(5)).toEqual([5, 1]);
    expect(rational(1 / 0.65)).toEqual([20, 13]);
    expect(rational(0.5)).toEqual([1, 2]);
    const [n, d] = rational(Math.PI);
    expect(Math.abs(n / d - Math.PI)).toBeLessThan(1e-15);
  });

  it('chooses BigTIFF when the file could pass 4 GiB', () => {
    expect(needsBigTiff({ width: 65536, height: 65536, dtype: 'uint8', planeCount: 1 })).toBe(true);
    expect(needsBigTiff({ width: 32768, height: 32768, dtype: 'uint16', planeCount: 1 })).toBe(false);
    expect(needsBigTiff({ width: 2048, height: 2048, dtype: 'uint16', planeCount: 600 })).toBe(true);
  });

  it('streams: memory stays near one plane while writing many', async () => {
    const width = 1024;
    const height = 512;
    const plane = new Uint16Array(width * height); // 1 MiB, reused for every page
    let peak = 0;
    async function* planes(): AsyncGenerator<Uint16Array> {
      for (let i = 0; i < 96; i++) {
        plane.fill(i);
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        yield plane;
      }
    }
    const before = process.memoryUsage().arrayBuffers;
    const file = path.join(tmp, 'stream.tif');
    await writeTiff(file, planes(), { width, height, dtype: 'uint16', planeCount: 96 });
    expect(fs.statSync(file).size).toBeGreaterThan(96 * width * height * 2);
    expect(peak - before).toBeLessThan(16 * 2 ** 20);
    const tiff = await openTiff(file);
    expect(tiff.series[0].shape).toEqual([96, height, width]);
    expect((await tiff.series[0].readWindow(95, 511, 512, 1000, 1024))[0]).toBe(95);
    await tiff.close();
    fs.rmSync(file);
  });
});
