/**
 * Every real sample TIFF in ../shared/data/samples/tiff is read by openTiff
 * and compared with tifffile (the reference): axes, shape, dtype and every
 * pixel. res.ome.tiff's OME metadata and input.tiff's Bio-Formats report
 * (res.txt) are cross-checked too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, pythonJson, shared } from '../../../tests/helpers/reference.js';
import { openTiff } from './index.js';
import type { TiffSeries, TypedArray } from './index.js';

const sampleDir = shared('samples', 'tiff');

/** What fairio reports for each sample (tifffile's view in the comment). */
const expected: Record<string, { axes: string[]; shape: number[]; dtype: string; interleaved: boolean; kind: string }> = {
  'BBBC033_C2_z28-lzw.tiff': { axes: ['y', 'x'], shape: [1344, 1024], dtype: 'uint8', interleaved: false, kind: 'shaped' }, // YX
  'input.tiff': { axes: ['c', 'y', 'x'], shape: [4, 530, 265], dtype: 'uint16', interleaved: true, kind: 'shaped' }, // YXS
  'input1_tyx.tiff': { axes: ['t', 'y', 'x'], shape: [5, 198, 356], dtype: 'uint16', interleaved: false, kind: 'shaped' }, // TYX
  'input3_uint16.tiff': { axes: ['c', 'y', 'x'], shape: [3, 58, 64], dtype: 'uint16', interleaved: true, kind: 'shaped' }, // YXC
  'input_yxz.tiff': { axes: ['z', 'y', 'x'], shape: [4, 530, 265], dtype: 'uint8', interleaved: true, kind: 'shaped' }, // YXZ (samples)
  'res.ome.tiff': { axes: ['c', 'y', 'x'], shape: [4, 25, 26], dtype: 'uint8', interleaved: true, kind: 'ome' }, // YXS
  'sample.tiff': { axes: ['y', 'x'], shape: [265, 329], dtype: 'uint8', interleaved: false, kind: 'imagej' }, // YX
  'sample_ovule.tiff': { axes: ['z', 'y', 'x'], shape: [32, 128, 128], dtype: 'uint8', interleaved: false, kind: 'imagej' }, // ZYX
};

interface Reference {
  file: string;
  series: { axes: string; shape: number[]; dtype: string; data: string }[];
}

/**
 * tifffile's axes in fairio's naming: letters lower-cased, samples 'S' → 'c',
 * and a samples axis after X moved before Y (fairio keeps y, x last).
 */
function fromTifffile(axes: string): string[] {
  let out = axes.split('').map((a) => (a === 'S' ? 'c' : a.toLowerCase()));
  if (!axes.endsWith('X')) out = [...out.slice(0, -3), out[out.length - 1], ...out.slice(-3, -1)];
  return out;
}

/** Every plane of a series, concatenated in plane order. */
async function readAll(series: TiffSeries): Promise<Uint8Array> {
  const [height, width] = series.shape.slice(-2);
  const parts: TypedArray[] = [];
  for (let p = 0; p < series.planeCount; p++) parts.push(await series.readWindow(p, 0, height, 0, width));
  return Buffer.concat(parts.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
}

const skip = missing('shared sample TIFFs', hasSharedData) || missing('python reference (.venv with tifffile)', hasPython);

describe.skipIf(skip)('sample TIFFs match tifffile', () => {
  let tmp: string;
  let references: Reference[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-tiff-samples-'));
    // Raw little-endian bytes in tifffile's order, which is readWindow's order
    // too: interleaved samples stay innermost (YXS).
    references = await pythonJson<Reference[]>(
      `
import json, sys, os, glob, numpy as np, tifffile
out = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.tif*'))):
    with tifffile.TiffFile(f) as t:
        series = []
        for i, s in enumerate(t.series):
            a = s.asarray()
            data = os.path.join(sys.argv[2], f'{os.path.basename(f)}.{i}.bin')
            np.ascontiguousarray(a).astype(a.dtype.newbyteorder('<')).tofile(data)
            series.append({'axes': s.axes, 'shape': list(s.shape), 'dtype': str(s.dtype), 'data': data})
    out.append({'file': os.path.basename(f), 'series': series})
print(json.dumps(out))
`,
      [sampleDir, tmp],
    );
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('covers every sample in the folder', () => {
    expect(references.map((r) => r.file).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: axes, shape, dtype and pixels`, async () => {
      const ref = references.find((r) => r.file === file)!;
      const tiff = await openTiff(path.join(sampleDir, file));
      try {
        expect(tiff.series).toHaveLength(ref.series.length);
        const [series] = tiff.series;
        expect(series.axes).toEqual(want.axes);
        expect(series.shape).toEqual(want.shape);
        expect(series.dtype).toBe(want.dtype);
        expect(series.kind).toBe(want.kind);
        expect(series.samplesInterleaved).toBe(want.interleaved);
        // Same axes and shape as tifffile, up to where the samples axis sits.
        expect(series.axes).toEqual(fromTifffile(ref.series[0].axes));
        expect([...series.shape].sort()).toEqual([...ref.series[0].shape].sort());
        expect(series.dtype).toBe(ref.series[0].dtype);
        const ours = await readAll(series);
        const theirs = fs.readFileSync(ref.series[0].data);
        expect(ours.length).toBe(theirs.length);
        expect(Buffer.compare(ours, theirs)).toBe(0);
      } finally {
        await tiff.close();
      }
    });
  }

  it('reads windows that cut across strips (LZW sample)', async () => {
    const tiff = await openTiff(path.join(sampleDir, 'BBBC033_C2_z28-lzw.tiff'));
    const ref = fs.readFileSync(references.find((r) => r.file === 'BBBC033_C2_z28-lzw.tiff')!.series[0].data);
    const [series] = tiff.series;
    expect(series.tileShape).toEqual([256, 1024]);
    const win = await series.readWindow(0, 250, 700, 100, 333);
    for (let y = 250; y < 700; y += 37) {
      for (let x = 100; x < 333; x += 11) expect(win[(y - 250) * 233 + (x - 100)]).toBe(ref[y * 1024 + x]);
    }
    await tiff.close();
  });

  it('res.ome.tiff: OME metadata agrees with tifffile', async () => {
    const meta = await pythonJson<{ pixels: Record<string, string>; name: string; channels: Record<string, string>[] }>(
      `
import json, sys, tifffile
with tifffile.TiffFile(sys.argv[1]) as t:
    ome = tifffile.xml2dict(t.ome_metadata)['OME']
image = ome['Image'] if isinstance(ome['Image'], dict) else ome['Image'][0]
px = image['Pixels']
ch = px['Channel'] if isinstance(px['Channel'], list) else [px['Channel']]
print(json.dumps({'pixels': {k: str(v) for k, v in px.items() if not isinstance(v, (dict, list))}, 'name': image.get('Name'), 'channels': [{k: str(v) for k, v in c.items() if not isinstance(v, dict)} for c in ch]}))
`,
      [path.join(sampleDir, 'res.ome.tiff')],
    );
    const tiff = await openTiff(path.join(sampleDir, 'res.ome.tiff'));
    const [series] = tiff.series;
    expect(tiff.omeXml).toContain('<OME');
    expect(series.name).toBe(meta.name);
    // Bio-Formats wrote no PhysicalSize* and no channel names for this file.
    for (const axis of ['X', 'Y', 'Z']) {
      const ref = meta.pixels[`PhysicalSize${axis}`];
      const ours = series.physicalSizes[axis.toLowerCase()];
      if (ref === undefined) expect(ours).toBeUndefined();
      else expect(ours?.value).toBeCloseTo(Number(ref));
    }
    const names = meta.channels.map((c) => c.Name);
    if (names.every((n) => n === undefined)) expect(series.channelNames).toBeUndefined();
    else expect(series.channelNames).toEqual(names);
    expect(Number(meta.pixels.SizeC)).toBe(series.shape[0]);
    expect(meta.pixels.Interleaved).toBe('True');
    await tiff.close();
  });

  it('input.tiff agrees with Bio-Formats showinf (res.txt)', async () => {
    const report = fs.readFileSync(path.join(sampleDir, 'res.txt'), 'utf8');
    const field = (name: string): string => report.match(new RegExp(`\\t${name} = (\\S+)`))![1];
    const tiff = await openTiff(path.join(sampleDir, 'input.tiff'));
    const [series] = tiff.series;
    expect(series.shape).toEqual([Number(field('SizeC')), Number(field('Height')), Number(field('Width'))]);
    expect(series.dtype).toBe(field('Pixel type'));
    expect(tiff.pageCount).toBe(Number(field('Image count')));
    await tiff.close();
  });

  it('sample_ovule.tiff: SCIFIO scales as physical sizes', async () => {
    const tiff = await openTiff(path.join(sampleDir, 'sample_ovule.tiff'));
    const [series] = tiff.series;
    expect(tiff.imagejMetadata?.unit).toBe('micrometer');
    expect(series.physicalSizes.x).toEqual({ value: 0.15000000596046448, unit: 'micrometer' });
    expect(series.physicalSizes.y).toEqual({ value: 0.15000000596046448, unit: 'micrometer' });
    expect(series.physicalSizes.z).toEqual({ value: 0.23499999940395355, unit: 'micrometer' });
    await tiff.close();
  });
});
