/**
 * Reader features against tifffile: files written by tifffile (big-endian,
 * BigTIFF, LZW, Deflate, PackBits, both predictors, tiles, planar RGB,
 * ImageJ hyperstacks, OME-TIFF with one and two images, mixed pages) are read
 * by openTiff and must give tifffile's pixels, whole and in windows.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { openTiff } from './index.js';
import type { TiffFile, TiffSeries, TypedArray } from './index.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'make_formats.py');

interface RefSeries {
  axes: string;
  shape: number[];
  dtype: string;
  kind: string;
  data: string;
}
type References = Record<string, { series: RefSeries[]; compression: number; predictor: number; bigtiff: boolean; byteorder: string }>;

/** fairio's axes for each file, per series (tifffile's in the comment). */
const expectedAxes: Record<string, { axes: string[]; interleaved?: boolean }[]> = {
  'be_u16.tif': [{ axes: ['z', 'y', 'x'] }], // ZYX
  'be_u16_rps1.tif': [{ axes: ['z', 'y', 'x'] }], // QYX
  'lzw_pred_u16.tif': [{ axes: ['t', 'y', 'x'] }], // TYX
  'lzw_random_u8.tif': [{ axes: ['y', 'x'] }],
  'lzw_runs_u8.tif': [{ axes: ['y', 'x'] }],
  'deflate_pred_f32.tif': [{ axes: ['y', 'x'] }],
  'deflate_pred_f32_be.tif': [{ axes: ['z', 'y', 'x'] }], // QYX
  'deflate_pred_f64.tif': [{ axes: ['y', 'x'] }],
  'deflate_pred_u32.tif': [{ axes: ['y', 'x'] }],
  'deflate_pred_rgb.tif': [{ axes: ['c', 'y', 'x'], interleaved: true }], // YXS
  'packbits_u8.tif': [{ axes: ['y', 'x'] }],
  'tiled_lzw_u16.tif': [{ axes: ['z', 'y', 'x'] }], // QYX
  'tiled_raw_be_i16.tif': [{ axes: ['y', 'x'] }],
  'planar_rgb.tif': [{ axes: ['c', 'y', 'x'] }], // SYX, one plane per sample
  'planar_tiled_lzw.tif': [{ axes: ['z', 'c', 'y', 'x'] }], // ZSYX
  'bigtiff_be_i16.tif': [{ axes: ['c', 'y', 'x'] }], // SYX
  'int8.tif': [{ axes: ['y', 'x'] }],
  'int32.tif': [{ axes: ['z', 'y', 'x'] }], // QYX
  'shaped_qq.tif': [{ axes: ['z', 'y', 'x'] }], // QQYX (1, 5, ...): the unknown axis of size 1 is dropped
  'imagej_tzcyx.tif': [{ axes: ['t', 'z', 'c', 'y', 'x'] }], // TZCYX
  'imagej_rgb.tif': [{ axes: ['z', 'c', 'y', 'x'], interleaved: true }], // ZYXS
  'ome_czyx.ome.tif': [{ axes: ['c', 'z', 'y', 'x'] }], // CZYX
  'ome_multi.ome.tif': [{ axes: ['t', 'y', 'x'] }, { axes: ['z', 'c', 'y', 'x'], interleaved: true }], // TYX, ZYXS
  'generic_mixed.tif': [{ axes: ['z', 'y', 'x'] }, { axes: ['y', 'x'] }], // IYX, YX
};

async function readAll(series: TiffSeries): Promise<Buffer> {
  const [height, width] = series.shape.slice(-2);
  const parts: TypedArray[] = [];
  for (let p = 0; p < series.planeCount; p++) parts.push(await series.readWindow(p, 0, height, 0, width));
  return Buffer.concat(parts.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
}

const bytesOf = (a: TypedArray): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The bytes of a window cut out of a whole series stored plane after plane. */
function cut(all: Buffer, series: TiffSeries, plane: number, y0: number, y1: number, x0: number, x1: number): Buffer {
  const [height, width] = series.shape.slice(-2);
  const pixel = (all.length / (series.planeCount * height * width));
  const parts: Buffer[] = [];
  for (let y = y0; y < y1; y++) {
    const row = (plane * height + y) * width;
    parts.push(all.subarray((row + x0) * pixel, (row + x1) * pixel));
  }
  return Buffer.concat(parts);
}

const skip = missing('python reference (.venv with tifffile, imagecodecs)', hasPython);

describe.skipIf(skip)('reader features match tifffile', () => {
  let tmp: string;
  let refs: References;
  const open: TiffFile[] = [];
  const openFile = async (name: string): Promise<TiffFile> => {
    const f = await openTiff(path.join(tmp, name));
    open.push(f);
    return f;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-tiff-formats-'));
    refs = await pythonJson<References>(fs.readFileSync(script, 'utf8'), [tmp]);
  });

  afterAll(async () => {
    await Promise.all(open.map((f) => f.close()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('covers every written file', () => {
    expect(Object.keys(refs).sort()).toEqual(Object.keys(expectedAxes).sort());
  });

  for (const [name, want] of Object.entries(expectedAxes)) {
    it(`${name}: series, axes and every pixel`, async () => {
      const ref = refs[name];
      const tiff = await openFile(name);
      expect(tiff.series).toHaveLength(ref.series.length);
      for (const [i, series] of tiff.series.entries()) {
        const r = ref.series[i];
        expect(series.axes).toEqual(want[i].axes);
        expect(series.samplesInterleaved).toBe(want[i].interleaved ?? false);
        expect(series.kind).toBe(r.kind);
        expect(series.dtype).toBe(r.dtype);
        // tifffile keeps interleaved samples last and size-1 unknown axes; otherwise the same shape.
        const theirShape = r.shape.filter((s, k) => !(s === 1 && 'QI'.includes(r.axes[k])));
        const ourShape = series.samplesInterleaved ? [...series.shape.slice(0, -3), ...series.shape.slice(-2), series.shape.at(-3)!] : series.shape;
        expect(ourShape).toEqual(theirShape);
        expect(series.planeCount * series.samplesPerPixel).toBe(series.shape.slice(0, -2).reduce((a, b) => a * b, 1));
        const ours = await readAll(series);
        const theirs = fs.readFileSync(r.data);
        expect(ours.length).toBe(theirs.length);
        expect(ours.equals(theirs)).toBe(true);
      }
    });
  }

  const windows: [string, number, number, number, number, number, number][] = [
    // file, series, plane, y0, y1, x0, x1
    ['tiled_lzw_u16.tif', 0, 1, 10, 77, 5, 121],
    ['tiled_lzw_u16.tif', 0, 0, 96, 100, 128, 130],
    ['planar_tiled_lzw.tif', 0, 4, 3, 39, 17, 50],
    ['be_u16_rps1.tif', 0, 1, 5, 30, 2, 15],
    ['tiled_raw_be_i16.tif', 0, 0, 15, 17, 31, 65],
    ['deflate_pred_rgb.tif', 0, 0, 2, 30, 3, 41],
    ['deflate_pred_f32_be.tif', 0, 1, 50, 97, 0, 131],
    ['lzw_pred_u16.tif', 0, 1, 63, 65, 0, 301],
    ['ome_multi.ome.tif', 1, 2, 1, 7, 2, 9],
    ['imagej_tzcyx.tif', 0, 17, 0, 32, 0, 24],
  ];
  for (const [name, s, plane, y0, y1, x0, x1] of windows) {
    it(`${name}: window plane ${plane} rows ${y0}–${y1} columns ${x0}–${x1}`, async () => {
      const tiff = await openFile(name);
      const series = tiff.series[s];
      const all = fs.readFileSync(refs[name].series[s].data);
      const win = await series.readWindow(plane, y0, y1, x0, x1);
      expect(win.length).toBe((y1 - y0) * (x1 - x0) * series.samplesPerPixel);
      expect(bytesOf(win).equals(cut(all, series, plane, y0, y1, x0, x1))).toBe(true);
    });
  }

  for (const name of ['lzw_pred_u16.tif', 'tiled_lzw_u16.tif', 'planar_tiled_lzw.tif']) {
    it(`${name}: a grid of 40 × 40 blocks (cached strips and tiles) equals tifffile`, async () => {
      const tiff = await openFile(name);
      const [series] = tiff.series;
      const all = fs.readFileSync(refs[name].series[0].data);
      const [height, width] = series.shape.slice(-2);
      for (let plane = 0; plane < series.planeCount; plane++) {
        for (let y = 0; y < height; y += 40) {
          for (let x = 0; x < width; x += 40) {
            const [y1, x1] = [Math.min(height, y + 40), Math.min(width, x + 40)];
            const block = await series.readWindow(plane, y, y1, x, x1);
            expect(bytesOf(block).equals(cut(all, series, plane, y, y1, x, x1))).toBe(true);
          }
        }
      }
    });
  }

  it('reports the codec, predictor and layout details tifffile saw', () => {
    expect(refs['lzw_pred_u16.tif']).toMatchObject({ compression: 5, predictor: 2 });
    expect(refs['deflate_pred_f32_be.tif']).toMatchObject({ compression: 8, predictor: 3, byteorder: '>' });
    expect(refs['bigtiff_be_i16.tif']).toMatchObject({ bigtiff: true, byteorder: '>' });
    expect(refs['packbits_u8.tif']).toMatchObject({ compression: 32773 });
  });

  it('tiles give the preferred block shape', async () => {
    expect((await openFile('tiled_lzw_u16.tif')).series[0].tileShape).toEqual([32, 48]);
    expect((await openFile('be_u16_rps1.tif')).series[0].tileShape).toEqual([1, 17]);
  });

  it('ImageJ hyperstack: spacing, unit, frame interval and LUT colours', async () => {
    const tiff = await openFile('imagej_tzcyx.tif');
    const [series] = tiff.series;
    expect(tiff.imagejMetadata).toMatchObject({ channels: '3', slices: '3', frames: '2', unit: 'um' });
    expect(series.physicalSizes.x?.value).toBeCloseTo(0.3, 6);
    expect(series.physicalSizes.x?.unit).toBe('micrometer');
    expect(series.physicalSizes.z).toEqual({ value: 2.5, unit: 'micrometer' });
    expect(series.physicalSizes.t).toEqual({ value: 0.5, unit: 'second' });
    expect(series.channelColors).toEqual(['FF0000', '00FF00', '0000FF']);
  });

  it('OME-TIFF: physical sizes with units, channel names, image name', async () => {
    const tiff = await openFile('ome_czyx.ome.tif');
    const [series] = tiff.series;
    expect(series.name).toBe('cells');
    expect(series.physicalSizes).toEqual({
      x: { value: 0.5, unit: 'micrometer' },
      y: { value: 0.25, unit: 'micrometer' },
      z: { value: 2, unit: 'nanometer' },
    });
    expect(series.channelNames).toEqual(['DAPI', 'GFP']);
  });

  it('OME-TIFF with two images gives two series with their own names and TiffData planes', async () => {
    const tiff = await openFile('ome_multi.ome.tif');
    expect(tiff.series.map((s) => s.name)).toEqual(['first', 'second']);
    expect(tiff.series[0].physicalSizes.t).toEqual({ value: 3, unit: 'millisecond' });
    expect(tiff.series[1].shape).toEqual([3, 3, 8, 9]);
    expect(tiff.pageCount).toBe(5);
  });
});
