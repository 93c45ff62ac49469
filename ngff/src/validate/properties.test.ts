/**
 * Properties: the validator never throws on arbitrary JSON (it reports), and
 * randomly generated well-formed multiscales documents, and stores built
 * from them, validate (strictly, since they carry everything strict wants).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing } from '../../../tests/helpers/reference.js';
import { formatReport, validateAttributes, validateStore } from './index.js';
import { SPACE_UNITS, TIME_UNITS } from './checks/axes.js';

const skip = missing('OME-NGFF schemas (../shared/data/ngff)', hasSharedData);
const versions = [undefined, '0.4', '0.5', '0.6'] as const;

/** A JSON document with NGFF-looking keys mixed in, so the checks get exercised, not just "not NGFF". */
const ngffish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    tie('object'),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
  object: fc.dictionary(
    fc.constantFrom('ome', 'version', 'multiscales', 'axes', 'datasets', 'path', 'coordinateTransformations', 'scale', 'translation', 'type',
      'name', 'unit', 'plate', 'wells', 'rows', 'columns', 'rowIndex', 'columnIndex', 'well', 'images', 'image-label', 'colors', 'label-value',
      'omero', 'channels', 'window', 'coordinateSystems', 'input', 'output', 'labels', 'series', 'bioformats2raw.layout', 'scene', '__proto__'),
    tie('value'),
    { maxKeys: 6 },
  ),
}));

const versionStrings = fc.constantFrom('0.4', '0.5', '0.6rc0', '0.6', '0.3', '', 'x');

describe.skipIf(skip)('validateAttributes never throws', () => {
  it('on arbitrary JSON, for every version and strictness', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...versions), fc.boolean(), (doc, version, strict) => {
        const report = validateAttributes(doc, { version, strict });
        expect(typeof report.valid).toBe('boolean');
        expect(typeof report.message).toBe('string');
        expect(report.valid || report.findings.some((f) => f.severity !== 'info')).toBe(true);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it('on NGFF-shaped nonsense (right keys, wrong values)', () => {
    fc.assert(
      fc.property(ngffish.object, versionStrings, fc.constantFrom(...versions), fc.boolean(), (body, v, version, strict) => {
        for (const doc of [body, { ome: { ...body, version: v } }, { ...body, multiscales: [{ ...body, version: v }] }]) {
          const report = validateAttributes(doc, { version, strict });
          expect(typeof report.valid).toBe('boolean');
          expect(formatReport(report)).toMatch(/^(VALID|INVALID): /);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});

describe.skipIf(skip)('validateStore never throws on a store holding nonsense metadata', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-validate-junk-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('in Zarr v3 and v2 layouts, including paths that try to leave the store', async () => {
    let n = 0;
    const paths = fc.constantFrom('0', '../0', '..', 'a/../../b', '/abs', 'A/1', 'labels', '', '__proto__');
    await fc.assert(
      fc.asyncProperty(ngffish.object, versionStrings, paths, fc.boolean(), async (body, v, p, v3) => {
        const store = path.join(tmp, `junk-${n++}.zarr`);
        fs.mkdirSync(store);
        const attrs = { ome: { ...body, version: v, multiscales: [{ ...body, datasets: [{ path: p }] }], plate: { wells: [{ path: p }] }, labels: [p], series: [p] } };
        if (v3) fs.writeFileSync(path.join(store, 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: attrs }));
        else fs.writeFileSync(path.join(store, '.zattrs'), JSON.stringify({ ...body, ...attrs.ome, version: undefined, multiscales: [{ ...body, version: v, datasets: [{ path: p }] }] }));
        const report = await validateStore(store);
        expect(typeof report.valid).toBe('boolean');
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 100) / 2 },
    );
  });
});

interface Pyramid {
  axes: { name: string; type: string; unit?: string }[];
  /** Per level, per axis. */
  scales: number[][];
  translations?: number[][];
  withOmero: boolean;
}

/** A well-formed pyramid: optional time and channel, 2-3 space axes, 1-4 levels with non-decreasing scales. */
const pyramid: fc.Arbitrary<Pyramid> = fc
  .record({
    time: fc.option(fc.constantFrom(...TIME_UNITS), { nil: undefined }),
    channel: fc.boolean(),
    spaceUnits: fc.array(fc.constantFrom(...SPACE_UNITS), { minLength: 2, maxLength: 3 }),
    levels: fc.integer({ min: 1, max: 4 }),
    base: fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 5, maxLength: 5 }),
    factors: fc.array(fc.double({ min: 1, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
    translate: fc.boolean(),
    offset: fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 5, maxLength: 5 }),
    withOmero: fc.boolean(),
  })
  .map(({ time, channel, spaceUnits, levels, base, factors, translate, offset, withOmero }) => {
    const spaceNames = ['z', 'y', 'x'].slice(3 - spaceUnits.length);
    const axes = [
      ...(time ? [{ name: 't', type: 'time', unit: time }] : []),
      ...(channel ? [{ name: 'c', type: 'channel' }] : []),
      ...spaceNames.map((name, i) => ({ name, type: 'space', unit: spaceUnits[i] })),
    ];
    const scales: number[][] = [];
    let grow = 1;
    for (let k = 0; k < levels; k++) {
      if (k > 0) grow *= factors[k - 1];
      scales.push(axes.map((a, j) => (a.type === 'space' ? base[j] * grow : a.type === 'time' ? base[j] : 1)));
    }
    const translations = translate ? scales.map(() => axes.map((_, j) => offset[j])) : undefined;
    return { axes, scales, translations, withOmero };
  });

function document(p: Pyramid, version: '0.4' | '0.5' | '0.6'): unknown {
  const common = { name: 'generated', type: 'gaussian', metadata: { method: 'fast-check' } };
  const omero = p.withOmero ? { omero: { channels: [{ color: 'FF00FF', label: 'c0', window: { min: 0, max: 255, start: 0, end: 255 } }] } } : {};
  if (version === '0.6') {
    const datasets = p.scales.map((s, k) => {
      const scale = { type: 'scale', scale: s };
      const t = p.translations ? { type: 'sequence', transformations: [scale, { type: 'translation', translation: p.translations[k] }] } : scale;
      return { path: `s${k}`, coordinateTransformations: [{ ...t, input: { path: `s${k}` }, output: { name: 'physical' } }] };
    });
    return { ome: { version: '0.6rc0', multiscales: [{ ...common, coordinateSystems: [{ name: 'physical', axes: p.axes }], datasets }], ...omero } };
  }
  const datasets = p.scales.map((s, k) => ({
    path: String(k),
    coordinateTransformations: [{ type: 'scale', scale: s }, ...(p.translations ? [{ type: 'translation', translation: p.translations[k] }] : [])],
  }));
  const multiscale = { ...common, axes: p.axes, datasets };
  return version === '0.4' ? { multiscales: [{ version: '0.4', ...multiscale }], ...omero } : { ome: { version: '0.5', multiscales: [multiscale], ...omero } };
}

describe.skipIf(skip)('generated well-formed multiscales validate', () => {
  it.each(['0.4', '0.5', '0.6'] as const)('OME-NGFF %s, strictly', (version) => {
    fc.assert(
      fc.property(pyramid, (p) => {
        const report = validateAttributes(document(p, version), { strict: true });
        expect(report.valid, formatReport(report)).toBe(true);
        expect(report.version).toBe(version);
        expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-validate-prop-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('and so do metadata-only stores built from them (arrays without chunks)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(pyramid, fc.array(fc.integer({ min: 8, max: 300 }), { minLength: 5, maxLength: 5 }), async (p, sizes) => {
        // Integer factor 2 per level so shapes are exact halvings, as a writer would make them.
        const scales = p.scales.map((_, k) => p.axes.map((a, j) => (a.type === 'space' ? p.scales[0][j] * 2 ** k : p.scales[0][j])));
        const store = path.join(tmp, `store-${n++}.ome.zarr`);
        const shapes = scales.map((_, k) => p.axes.map((a, j) => (a.type === 'space' ? Math.max(1, Math.ceil(sizes[j] / 2 ** k)) : a.type === 'channel' ? 1 : 2)));
        // Keep a level only while it still shrinks.
        const levels = shapes.filter((s, k) => k === 0 || s.some((n2, j) => n2 < shapes[k - 1][j])).length;
        const doc = document({ ...p, scales: scales.slice(0, levels), translations: p.translations?.slice(0, levels) }, '0.5') as Record<string, unknown>;
        const write = (rel: string, json: unknown) => {
          fs.mkdirSync(path.join(store, rel), { recursive: true });
          fs.writeFileSync(path.join(store, rel, 'zarr.json'), JSON.stringify(json));
        };
        write('', { zarr_format: 3, node_type: 'group', attributes: doc });
        for (let k = 0; k < levels; k++) {
          write(String(k), {
            zarr_format: 3, node_type: 'array', shape: shapes[k], data_type: 'uint16',
            chunk_grid: { name: 'regular', configuration: { chunk_shape: shapes[k].map((s) => Math.min(s, 64)) } },
            chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
            fill_value: 0, codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
            dimension_names: p.axes.map((a) => a.name), attributes: {},
          });
        }
        const report = await validateStore(store, { strict: true });
        expect(report.valid, formatReport(report)).toBe(true);
        expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
