/**
 * `measureRegions` against `skimage.measure.regionprops_table`: the same
 * rows and columns (label, area, centroid-*, bbox-*, intensity_mean/min/max),
 * integers and extrema exactly, means and centroids to 1e-9 relative, and the
 * physical columns from the scale and translation — in 2-D and 3-D, on label
 * images made by the label node from real and synthetic images, read in
 * blocks much smaller than the image. Bad input fails with a clear code; an
 * empty label image gives a header-only table.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { labelImage } from './label.js';
import { measureRegions } from './measure.js';
import { thresholdImage } from './threshold.js';
import { PY_LEVEL0, sharedSample, syntheticZarr, writeArray } from './__fixtures__/images.js';

const skip = missing('Python reference tools (.venv)', hasPython) || missing('shared reference data', hasSharedData);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-measure-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const COMPARE = `${PY_LEVEL0}
import csv
from skimage.measure import regionprops_table
out = []
for job in json.loads(sys.argv[1]):
    labels, axes, _, ms = level0(job['labels'])
    names = [a['name'] for a in axes]
    if 'c' in names:
        labels = np.take(labels, 0, axis=names.index('c')); axes = [a for a in axes if a['name'] != 'c']
    intensity = None
    if job.get('intensity'):
        intensity, iaxes, _, _ = level0(job['intensity'])
        inames = [a['name'] for a in iaxes]
        if 'c' in inames:
            intensity = np.take(intensity, job.get('channel') or 0, axis=inames.index('c'))
    props = ['label', 'area', 'centroid', 'bbox'] + (['intensity_mean', 'intensity_min', 'intensity_max'] if intensity is not None else [])
    ref = regionprops_table(labels, intensity_image=intensity, properties=props)
    tr = [t for t in ms['datasets'][0]['coordinateTransformations']]
    scale = next(t['scale'] for t in tr if t['type'] == 'scale')
    translation = next((t['translation'] for t in tr if t['type'] == 'translation'), [0] * len(scale))
    keep = [i for i, n in enumerate(names) if n != 'c']
    scale = [scale[i] for i in keep]; translation = [translation[i] for i in keep]
    spatial = [i for i, a in enumerate(axes) if a.get('type') == 'space']
    with open(job['csv']) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    ours = {h: np.array([float(r[i]) for r in body]) for i, h in enumerate(header)}
    problems = []
    def check(name, expected, exact):
        got = ours.get(name)
        if got is None:
            problems.append(f'missing column {name}'); return
        expected = np.asarray(expected, dtype=float)
        if got.shape != expected.shape:
            problems.append(f'{name}: {got.shape} rows, expected {expected.shape}'); return
        ok = np.array_equal(got, expected) if exact else np.allclose(got, expected, rtol=1e-9, atol=0)
        if not ok:
            bad = np.argmax(got != expected) if exact else np.argmax(~np.isclose(got, expected, rtol=1e-9, atol=0))
            problems.append(f'{name}[{bad}]: {got[bad]!r} != {expected[bad]!r}')
    for key, values in ref.items():
        exact = not (key.startswith('centroid') or key == 'intensity_mean')
        check(key, values, exact)
    n = labels.ndim
    size_name = {1: 'length', 2: 'area', 3: 'volume'}[len(spatial)]
    unit = axes[spatial[0]].get('unit', 'unit')
    check(f'{size_name}_{unit}' + ('' if len(spatial) == 1 else f'^{len(spatial)}'), ref['area'] * np.prod([scale[i] for i in spatial]), False)
    for d in range(n):
        check(f"centroid_{axes[d]['name']}_{axes[d].get('unit', 'unit')}", translation[d] + scale[d] * ref[f'centroid-{d}'], False)
    out.append({'rows': len(body), 'labels': int(len(ref['label'])), 'header': header, 'problems': problems})
print(json.dumps(out))
`;

interface Job {
  name: string;
  labels: string;
  intensity?: string;
  channel?: number;
  block?: number[];
}

async function measureAndCompare(jobs: Job[]): Promise<{ rows: number; labels: number; header: string[]; problems: string[] }[]> {
  for (const job of jobs) {
    await measureRegions(job.labels, path.join(work, `${job.name}.csv`), { intensity: job.intensity, channel: job.channel, block: job.block });
  }
  const refs = await pythonJson<{ rows: number; labels: number; header: string[]; problems: string[] }[]>(COMPARE, [
    JSON.stringify(jobs.map((j) => ({ ...j, csv: path.join(work, `${j.name}.csv`) }))),
  ]);
  jobs.forEach((job, i) => expect({ job: job.name, problems: refs[i].problems, rows: refs[i].rows }).toEqual({ job: job.name, problems: [], rows: refs[i].labels }));
  return refs;
}

describe.skipIf(skip)('measure equals skimage.measure.regionprops_table', () => {
  const labels: Record<string, string> = {};
  const images: Record<string, string> = {};
  beforeAll(async () => {
    images.bbbc = await sharedSample(work, 'BBBC033_C2_z28-lzw.tiff', [64, 64]);
    images.ovule = await sharedSample(work, 'sample_ovule.tiff', [8, 32, 32]);
    images.synthetic = await syntheticZarr(work, { size: 512, depth: 4, chunk: 64 });
    images.series = await sharedSample(work, 'input1_tyx.tiff', [1, 64, 64]);
    for (const [name, channel] of [
      ['bbbc', undefined],
      ['ovule', undefined],
      ['synthetic', 0],
      ['series', undefined],
    ] as const) {
      const mask = path.join(work, `${name}.mask.ome.zarr`);
      await thresholdImage(images[name], mask, { method: 'otsu', channel, workers: 0 });
      labels[name] = path.join(work, `${name}.labels.ome.zarr`);
      await labelImage(mask, labels[name], { workers: 0 });
    }
  });

  it('2-D and 3-D label images with their intensity images, blocks much smaller than the image', async () => {
    const refs = await measureAndCompare([
      { name: 'bbbc', labels: labels.bbbc, intensity: images.bbbc, block: [64, 64] },
      { name: 'bbbc-shape', labels: labels.bbbc, block: [37, 91] },
      { name: 'ovule', labels: labels.ovule, intensity: images.ovule, block: [8, 32, 32] },
      { name: 'synthetic-dapi', labels: labels.synthetic, intensity: images.synthetic, channel: 0, block: [2, 32, 32] },
      { name: 'synthetic-gfp', labels: labels.synthetic, intensity: images.synthetic, channel: 1 },
      // A time series: t is a dimension of each object (centroid-0, bbox-0), the area is over y and x.
      { name: 'series', labels: labels.series, intensity: images.series, block: [32, 32] },
    ]);
    expect(refs.map((r) => r.rows > (r === refs[2] ? 0 : 10))).toEqual([true, true, true, true, true, true]);
    expect(refs[5].header.slice(0, 3)).toEqual(['label', 'area', expect.stringMatching(/^area_/)]);
    expect(refs[0].header).toEqual([
      'label', 'area', 'area_unit^2', 'centroid-0', 'centroid-1', 'centroid_y_unit', 'centroid_x_unit',
      'bbox-0', 'bbox-1', 'bbox-2', 'bbox-3', 'intensity_mean', 'intensity_min', 'intensity_max',
    ]);
    expect(refs[3].header).toContain('volume_micrometer^3');
    expect(refs[3].header).toContain('centroid_z_micrometer');
  });

  it('physical columns use the scale and translation of the label image', async () => {
    const data = new Uint16Array(40 * 50);
    for (let y = 3; y < 17; y++) for (let x = 5; x < 31; x++) data[y * 50 + x] = y < 9 ? 4 : 9;
    data[39 * 50 + 49] = 2;
    const input = await writeArray(path.join(work, 'scaled.ome.zarr'), data, [40, 50], 'uint16', 'yx', { chunks: [8, 8], scale: [0.5, 0.25], translation: [10, -3], label: true });
    await measureAndCompare([{ name: 'scaled', labels: input, block: [8, 8] }]);
    const rows = fs.readFileSync(path.join(work, 'scaled.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('label,area,area_micrometer^2,centroid-0,centroid-1,centroid_y_micrometer,centroid_x_micrometer,bbox-0,bbox-1,bbox-2,bbox-3');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['2', '4', '9']);
    expect(rows[1]).toBe('2,1,0.125,39,49,29.5,9.25,39,49,40,50');
  });

  it('an empty label image gives a table with only the header', async () => {
    const input = await writeArray(path.join(work, 'empty.ome.zarr'), new Uint32Array(32 * 32), [32, 32], 'uint32', 'yx', { label: true });
    const result = await measureRegions(input, path.join(work, 'empty.csv'), { intensity: input });
    expect(result.labels).toBe(0);
    expect(fs.readFileSync(path.join(work, 'empty.csv'), 'utf8')).toBe(`${result.columns.join(',')}\n`);
  });

  it('bad input fails with a clear code and writes nothing', async () => {
    const out = path.join(work, 'never.csv');
    // An intensity image of another shape.
    await expect(measureRegions(labels.bbbc, out, { intensity: images.ovule })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/same pixels/) });
    // Several channels and none chosen.
    await expect(measureRegions(labels.synthetic, out, { intensity: images.synthetic })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/2 channels/) });
    // A "label image" with two channels.
    await expect(measureRegions(images.synthetic, out)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/single channel/) });
    // Floating-point labels.
    const floats = await writeArray(path.join(work, 'float-labels.ome.zarr'), new Float32Array(16 * 16), [16, 16], 'float32', 'yx');
    await expect(measureRegions(floats, out)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/whole numbers/) });
    // A channel without an intensity image.
    await expect(measureRegions(labels.bbbc, out, { channel: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fs.existsSync(out)).toBe(false);
  });
});
