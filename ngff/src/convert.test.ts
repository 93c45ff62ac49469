/**
 * Every shared sample TIFF converts, and the OME-Zarr holds exactly the pixels
 * tifffile reads (transposed to NGFF axis order); the result is accepted by
 * ome-zarr-models (independent validator) and by fairio's validator. OME-XML
 * physical sizes, channel names and colours survive the conversion.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, pythonJson, shared } from '../../tests/helpers/reference.js';
import { convertTiff } from './convert.js';
import { openOmeZarr } from './open.js';
import { sampleOmeXml, syntheticSample } from './sample.js';
import { writeTiff } from './tiff/index.js';
import { validateStore } from './validate/index.js';

const skip = missing('shared reference data', hasSharedData) || missing('Python reference tools (.venv)', hasPython);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-convert-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// tifffile reads the TIFF; zarr-python reads our level 0; ome-zarr-models validates the store.
const COMPARE = `
import json, sys, numpy as np, tifffile, zarr, ome_zarr_models
tif, store = sys.argv[1], sys.argv[2]
with tifffile.TiffFile(tif) as t:
    series = t.series[0]
    ref = series.asarray()
    axes = series.axes.lower().replace('s', 'c').replace('i', 'z').replace('q', 'z')
group = zarr.open_group(store, mode='r')
attrs = group.attrs.asdict()
ms = (attrs.get('ome') or attrs)['multiscales'][0]
ours = [a['name'] for a in ms['axes']]
out = group[ms['datasets'][0]['path']][...]
ref = np.transpose(ref, [axes.index(a) for a in ours]) if sorted(axes) == sorted(ours) else ref
try:
    ome_zarr_models.open_ome_zarr(store)
    models = 'ok'
except Exception as e:
    models = f'{type(e).__name__}: {e}'
print(json.dumps({'tifffile_axes': axes, 'ours': ours, 'same_shape': list(ref.shape) == list(out.shape),
                  'ref_shape': list(ref.shape), 'out_shape': list(out.shape),
                  'equal': bool(ref.shape == out.shape and np.array_equal(ref, out)), 'models': models}))
`;

interface Comparison {
  tifffile_axes: string;
  ours: string[];
  ref_shape: number[];
  out_shape: number[];
  equal: boolean;
  models: string;
}

describe.skipIf(skip)('TIFF → OME-Zarr conversion of every shared sample', () => {
  const tiffs = skip ? [] : fs.readdirSync(shared('samples', 'tiff')).filter((f) => /\.tiff?$/.test(f));

  it('finds the shared TIFFs', () => expect(tiffs.length).toBeGreaterThanOrEqual(8));

  it.each(tiffs.flatMap((t) => [[t, '0.5'] as const, [t, '0.4'] as const]))('%s → NGFF %s', async (name, ngff) => {
    const input = shared('samples', 'tiff', name);
    const output = path.join(work, `${name}.${ngff}.ome.zarr`);
    await convertTiff(input, output, { ngff, chunks: undefined, workers: 2 });
    const result = await pythonJson<Comparison>(COMPARE, [input, output]);
    expect(result.out_shape, JSON.stringify(result)).toEqual(result.ref_shape);
    expect(result.equal, JSON.stringify(result)).toBe(true);
    expect(result.models).toBe('ok');
    const report = await validateStore(output);
    expect(report.valid, report.message).toBe(true);
  });

  it('res.ome.tiff keeps its OME name and its RGBA samples as four channels', async () => {
    const output = path.join(work, 'res-check.ome.zarr');
    await convertTiff(shared('samples', 'tiff', 'res.ome.tiff'), output, { workers: 0 });
    const image = await (await openOmeZarr(output)).image();
    expect(image.name).toBe('dataset_b304baf0-c97a-45ac-a13b-ab7fe13a1e06.dat');
    expect(image.axisNames).toEqual(['c', 'y', 'x']);
    expect(image.levels[0].shape).toEqual([4, 25, 26]);
    // bfconvert wrote no physical sizes: the scale stays 1 rather than inventing units.
    expect(image.levels[0].scale).toEqual([1, 1, 1]);
    expect(image.axes.some((a) => a.unit)).toBe(false);
  });
});

describe.skipIf(missing('Python reference tools (.venv)', hasPython))('OME-XML metadata survives conversion', () => {
  it('physical sizes, units, channel names and colours of an OME-TIFF', async () => {
    const sample = syntheticSample({ width: 96, height: 80, depth: 3, nuclei: 4 });
    const tiff = path.join(work, 'synthetic.ome.tiff');
    await writeTiff(tiff, sample.planes(), { width: 96, height: 80, dtype: 'uint16', planeCount: 6, description: sampleOmeXml(sample, 'synthetic') });
    // tifffile is the reference for what the OME-XML says.
    const ref = await pythonJson<{ axes: string; x: number; z: number; unit: string; names: string[] }>(
      `
import json, sys, tifffile, xml.etree.ElementTree as ET
with tifffile.TiffFile(sys.argv[1]) as t:
    ns = {'ome': 'http://www.openmicroscopy.org/Schemas/OME/2016-06'}
    px = ET.fromstring(t.ome_metadata).find('.//ome:Pixels', ns)
    print(json.dumps({'axes': t.series[0].axes, 'x': float(px.get('PhysicalSizeX')), 'z': float(px.get('PhysicalSizeZ')),
      'unit': px.get('PhysicalSizeXUnit'), 'names': [c.get('Name') for c in px.findall('ome:Channel', ns)]}))
`,
      [tiff],
    );
    const output = path.join(work, 'synthetic.ome.zarr');
    await convertTiff(tiff, output, { workers: 0 });
    const image = await (await openOmeZarr(output)).image();
    expect(ref.axes).toBe('CZYX');
    expect(image.axisNames).toEqual(['c', 'z', 'y', 'x']);
    expect(image.levels[0].scale).toEqual([1, ref.z, ref.x, ref.x]);
    expect(ref.unit).toBe('µm');
    expect(image.axes.find((a) => a.name === 'x')?.unit).toBe('micrometer');
    expect(image.omero?.channels.map((c) => c.label)).toEqual(ref.names);
    expect(image.omero?.channels.map((c) => c.color)).toEqual(['0000FF', '00FF00']);
  });
});

describe.skipIf(skip)('conversion options', () => {
  it('--dtype clamps like numpy.clip, and pixel sizes, units and channel names can be overridden', async () => {
    const input = shared('samples', 'tiff', 'input3_uint16.tiff');
    const output = path.join(work, 'options.ome.zarr');
    await convertTiff(input, output, { dtype: 'uint8', pixelSize: { y: 0.5, x: 0.25 }, unit: 'micrometer', channels: [{ label: 'red', color: 'FF0000' }], name: 'renamed', workers: 0 });
    const ref = await pythonJson<{ equal: boolean; dtype: string }>(
      `
import json, sys, numpy as np, tifffile, zarr
a = tifffile.imread(sys.argv[1])           # (y, x, c)
expected = np.clip(np.transpose(a, (2, 0, 1)), 0, 255).astype(np.uint8)
out = zarr.open_array(sys.argv[2] + '/0', mode='r')[...]
print(json.dumps({'equal': bool(np.array_equal(expected, out)), 'dtype': str(out.dtype)}))
`,
      [input, output],
    );
    expect(ref).toEqual({ equal: true, dtype: 'uint8' });
    const image = await (await openOmeZarr(output)).image();
    expect(image.name).toBe('renamed');
    expect(image.levels[0].scale).toEqual([1, 0.5, 0.25]);
    expect(image.axes.map((a) => a.unit)).toEqual([undefined, 'micrometer', 'micrometer']);
    // The first channel as given; the others keep fairio's default names and colours.
    expect(image.omero!.channels.map((c) => [c.label, c.color])).toEqual([
      ['red', 'FF0000'],
      ['Channel 1', 'FF00FF'],
      ['Channel 2', 'FFFF00'],
    ]);
  });

  it('refuses a pixel size for an axis the image does not have', async () => {
    await expect(convertTiff(shared('samples', 'tiff', 'sample.tiff'), path.join(work, 'nope.ome.zarr'), { pixelSize: { z: 2 } })).rejects.toThrow(/has no z axis/);
    expect(fs.existsSync(path.join(work, 'nope.ome.zarr'))).toBe(false);
  });
});
