/**
 * validateStore on real OME-Zarr stores (all valid) and on corrupted copies
 * made in a temporary folder, each expected to yield a specific finding code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing, shared } from '../../../tests/helpers/reference.js';
import { serveFolder } from '../../../tests/helpers/static-server.js';
import { formatReport, validateStore, type ValidationReport } from './index.js';

const skip = missing('sample OME-Zarr stores (../shared/data/samples/ome-zarr)', hasSharedData);
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-validate-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A writable copy of a sample store (the shared data is read-only). */
function copySample(name: string): string {
  const target = fs.mkdtempSync(path.join(tmpRoot, `${name}-`));
  fs.cpSync(shared('samples', 'ome-zarr', name), target, { recursive: true });
  const chmod = (p: string) => {
    const stat = fs.statSync(p);
    fs.chmodSync(p, stat.isDirectory() ? 0o755 : 0o644);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p)) chmod(path.join(p, e));
  };
  chmod(target);
  return target;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON
type Json = Record<string, any>;

function editJson(file: string, edit: (json: Json) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

function writeJson(file: string, json: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

const codes = (r: ValidationReport, severity: 'error' | 'warning' | 'info' = 'error') => r.findings.filter((f) => f.severity === severity).map((f) => f.code);

describe.skipIf(skip)('real OME-Zarr stores validate', () => {
  it.each([
    ['bf2raw-camera.ome.zarr', '0.4'],
    ['v04-image-03-with-labels.zarr', '0.4'],
    ['v05-multiscale-input9.zarr', '0.5'],
    ['v05-input13.zarr', '0.5'],
  ])('%s is valid OME-NGFF %s', async (name, version) => {
    const report = await validateStore(shared('samples', 'ome-zarr', name));
    expect(report.valid, formatReport(report)).toBe(true);
    expect(report.version).toBe(version);
    expect(codes(report)).toEqual([]);
  });

  it('walks a bioformats2raw container into its series', async () => {
    const report = await validateStore(shared('samples', 'ome-zarr', 'bf2raw-camera.ome.zarr'));
    // The series image has z/y/x without units: found only by opening series 0.
    expect(report.findings.some((f) => f.code === 'axis-unit-missing' && f.path?.startsWith('/0#'))).toBe(true);
  });

  it('strict turns warnings such as missing units into failures', async () => {
    const report = await validateStore(shared('samples', 'ome-zarr', 'v05-input13.zarr'), { strict: true });
    expect(report.valid).toBe(false);
    expect(codes(report, 'warning')).toContain('axis-unit-missing');
    expect(codes(report)).toContain('schema'); // strict_image.schema wants name/type/metadata
  });

  it('validates over HTTP', async () => {
    const server = await serveFolder(shared('samples', 'ome-zarr'));
    try {
      const report = await validateStore(`${server.url}/v05-multiscale-input9.zarr`);
      expect(report.valid, formatReport(report)).toBe(true);
      const v2 = await validateStore(`${server.url}/v04-image-03-with-labels.zarr/`);
      expect(v2.valid, formatReport(v2)).toBe(true);
      expect(server.requests.every((r) => /(zarr\.json|\.zattrs|\.zarray|\.zgroup)$/.test(r))).toBe(true); // metadata only, no chunks
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(skip)('corrupted copies give the expected findings', () => {
  it('missing pyramid level → dataset-missing', async () => {
    const store = copySample('v05-multiscale-input9.zarr');
    fs.rmSync(path.join(store, '2'), { recursive: true });
    const report = await validateStore(store);
    expect(report.valid).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'dataset-missing', severity: 'error', path: '/2' }));
    expect(report.message).toMatch(/^dataset-missing: dataset "2"/);
  });

  it('dimension_names that lie → dimension-names-mismatch', async () => {
    const store = copySample('v05-multiscale-input9.zarr');
    editJson(path.join(store, '0', 'zarr.json'), (j) => (j.dimension_names = ['z', 'x', 'y']));
    expect(codes(await validateStore(store))).toEqual(['dimension-names-mismatch']);
  });

  it('a level larger than the one before → levels-not-shrinking', async () => {
    const store = copySample('v05-multiscale-input9.zarr');
    editJson(path.join(store, '3', 'zarr.json'), (j) => (j.shape = [2, 60, 60]));
    const report = await validateStore(store);
    expect(codes(report)).toContain('levels-not-shrinking');
    expect(codes(report, 'warning')).toContain('scale-shape-mismatch');
  });

  it('two levels of the same shape → levels-not-shrinking', async () => {
    const store = copySample('v05-multiscale-input9.zarr');
    editJson(path.join(store, '1', 'zarr.json'), (j) => (j.shape = [2, 100, 100]));
    expect(codes(await validateStore(store))).toContain('levels-not-shrinking');
  });

  it('invalid JSON → invalid-json, reported not thrown (v3 root and v2 .zattrs)', async () => {
    const v3 = copySample('v05-input13.zarr');
    fs.writeFileSync(path.join(v3, 'zarr.json'), '{"attributes": {"ome": ');
    const r3 = await validateStore(v3);
    expect(r3.valid).toBe(false);
    expect(codes(r3)).toEqual(['invalid-json']);

    const v2 = copySample('v04-image-03-with-labels.zarr');
    fs.writeFileSync(path.join(v2, '0', '.zarray'), '{"shape": [2, 100, 100], ');
    expect(codes(await validateStore(v2))).toEqual(['invalid-json']);
  });

  it('a label listed in labels/ but absent → label-missing', async () => {
    const store = copySample('v04-image-03-with-labels.zarr');
    writeJson(path.join(store, 'labels', '.zattrs'), { labels: ['cells'] });
    const report = await validateStore(store);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'label-missing', path: '/labels/cells' }));
  });

  it('a float label image → dtype-label-not-integer; an integer one is fine', async () => {
    const store = copySample('v04-image-03-with-labels.zarr');
    writeJson(path.join(store, 'labels', '.zattrs'), { labels: ['cells'] });
    const image = JSON.parse(fs.readFileSync(path.join(store, '.zattrs'), 'utf8')) as Record<string, unknown>;
    writeJson(path.join(store, 'labels', 'cells', '.zgroup'), { zarr_format: 2 });
    writeJson(path.join(store, 'labels', 'cells', '.zattrs'), { ...image, 'image-label': { version: '0.4', colors: [{ 'label-value': 1, rgba: [255, 0, 0, 255] }] } });
    const array = JSON.parse(fs.readFileSync(path.join(store, '0', '.zarray'), 'utf8')) as Record<string, unknown>;
    writeJson(path.join(store, 'labels', 'cells', '0', '.zarray'), { ...array, dtype: '<f8' });
    expect(codes(await validateStore(store))).toEqual(['dtype-label-not-integer']);

    writeJson(path.join(store, 'labels', 'cells', '0', '.zarray'), { ...array, dtype: '<u2' });
    const fixed = await validateStore(store);
    expect(fixed.valid, formatReport(fixed)).toBe(true);
  });

  it('fewer axes than array dimensions → axes-ndim-mismatch', async () => {
    const store = copySample('v04-image-03-with-labels.zarr');
    editJson(path.join(store, '.zattrs'), (j) => {
      j.multiscales[0].axes = j.multiscales[0].axes.slice(1);
      j.multiscales[0].datasets[0].coordinateTransformations[0].scale = [1, 1];
    });
    // The 2-entry scale now matches the axes but not the 3-D array either.
    expect(codes(await validateStore(store))).toEqual(['axes-ndim-mismatch', 'scale-length-mismatch']);
  });

  it('a scale shorter than the array → scale-length-mismatch (an error once arrays are known)', async () => {
    const store = copySample('v04-image-03-with-labels.zarr');
    editJson(path.join(store, '.zattrs'), (j) => (j.multiscales[0].datasets[0].coordinateTransformations[0].scale = [1, 1]));
    const report = await validateStore(store);
    expect(codes(report)).toEqual(['scale-length-mismatch']);
    expect(codes(report, 'warning')).toEqual(['scale-length-mismatch']); // the attribute-level view of the same slip
  });

  it('chunk shape with the wrong number of entries → chunks-inconsistent', async () => {
    const store = copySample('v05-input13.zarr');
    editJson(path.join(store, '0', 'zarr.json'), (j) => (j.chunk_grid.configuration.chunk_shape = [265]));
    expect(codes(await validateStore(store))).toEqual(['chunks-inconsistent']);
  });

  it('a bioformats2raw container without its series → series-missing', async () => {
    const store = copySample('bf2raw-camera.ome.zarr');
    fs.rmSync(path.join(store, '0'), { recursive: true });
    expect(codes(await validateStore(store))).toEqual(['series-missing']);
  });

  it('0.5 metadata in a Zarr v2 group → zarr-format-mismatch', async () => {
    const store = copySample('v04-image-03-with-labels.zarr');
    editJson(path.join(store, '.zattrs'), (j) => {
      const multiscales = j.multiscales;
      delete multiscales[0].version;
      for (const key of Object.keys(j)) delete j[key];
      j.ome = { version: '0.5', multiscales };
    });
    expect(codes(await validateStore(store))).toContain('zarr-format-mismatch');
  });

  it('a folder that is not Zarr → zarr-metadata-missing; a missing path throws NOT_FOUND', async () => {
    const empty = fs.mkdtempSync(path.join(tmpRoot, 'empty-'));
    expect(codes(await validateStore(empty))).toEqual(['zarr-metadata-missing']);
    await expect(validateStore(path.join(tmpRoot, 'no-such-store.zarr'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('metadataOnly accepts absent arrays but still checks the metadata', async () => {
    const store = copySample('v05-multiscale-input9.zarr');
    for (const level of ['0', '1', '2', '3', '4']) fs.rmSync(path.join(store, level), { recursive: true });
    expect(codes(await validateStore(store))).toEqual(Array(5).fill('dataset-missing'));
    const relaxed = await validateStore(store, { metadataOnly: true });
    expect(relaxed.valid).toBe(true);
    expect(codes(relaxed, 'info')).toContain('dataset-missing');
  });
});

/** A small 0.5 plate written from scratch: row A, columns 1 and 2, one field per well. */
function writePlate(root: string, wells: string[]): void {
  const group = (attributes: unknown) => ({ zarr_format: 3, node_type: 'group', attributes });
  const ome = (body: Record<string, unknown>) => ({ ome: { version: '0.5', ...body } });
  writeJson(path.join(root, 'zarr.json'), group(ome({
    plate: {
      name: 'test plate',
      rows: [{ name: 'A' }],
      columns: [{ name: '1' }, { name: '2' }],
      wells: [
        { path: 'A/1', rowIndex: 0, columnIndex: 0 },
        { path: 'A/2', rowIndex: 0, columnIndex: 1 },
      ],
    },
  })));
  writeJson(path.join(root, 'A', 'zarr.json'), group({}));
  for (const well of wells) {
    writeJson(path.join(root, well, 'zarr.json'), group(ome({ well: { images: [{ path: '0' }] } })));
    writeJson(path.join(root, well, '0', 'zarr.json'), group(ome({
      multiscales: [{
        name: 'field',
        axes: [{ name: 'y', type: 'space', unit: 'micrometer' }, { name: 'x', type: 'space', unit: 'micrometer' }],
        datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [0.5, 0.5] }] }],
      }],
    })));
    writeJson(path.join(root, well, '0', '0', 'zarr.json'), {
      zarr_format: 3, node_type: 'array', shape: [16, 16], data_type: 'uint16',
      chunk_grid: { name: 'regular', configuration: { chunk_shape: [16, 16] } },
      chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
      fill_value: 0, codecs: [{ name: 'bytes', configuration: { endian: 'little' } }], dimension_names: ['y', 'x'], attributes: {},
    });
  }
}

describe('plates', () => {
  it('a complete plate is valid; a missing well → well-missing; a missing field → field-missing', async () => {
    const root = fs.mkdtempSync(path.join(tmpRoot, 'plate-'));
    writePlate(root, ['A/1']);
    const report = await validateStore(root);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'well-missing', path: '/A/2' }));

    writePlate(root, ['A/1', 'A/2']);
    const complete = await validateStore(root);
    expect(complete.valid, formatReport(complete)).toBe(true);
    expect(complete.findings.filter((f) => f.severity !== 'info')).toEqual([]);

    editJson(path.join(root, 'A', '2', 'zarr.json'), (j) => j.attributes.ome.well.images.push({ path: '1' }));
    expect(codes(await validateStore(root))).toEqual(['field-missing']);
  });
});
