/**
 * Each semantic check on a small document that trips it, plus the report,
 * file and schema-location plumbing. Read as examples of the finding codes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasSharedData, missing, shared } from '../../../tests/helpers/reference.js';
import { ATTRIBUTE_CHECKS, PYRAMID_CHECKS, formatReport, schemasRoot, validateAttributes, validateAttributesFile, type ValidationReport } from './index.js';

const skip = missing('OME-NGFF schemas (../shared/data/ngff)', hasSharedData);

const space = (name: string, unit = 'micrometer') => ({ name, type: 'space', unit });
const scale = (...s: number[]) => [{ type: 'scale', scale: s }];

/** A 0.5 image document with sensible defaults; override the multiscale's fields. */
function image05(multiscale: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    ome: {
      version: '0.5',
      multiscales: [{ name: 'img', axes: [space('y'), space('x')], datasets: [{ path: '0', coordinateTransformations: scale(1, 1) }], ...multiscale }],
      ...extra,
    },
  };
}

function plate(version: '0.4' | '0.5', body: Record<string, unknown>) {
  const p = { rows: [{ name: 'A' }], columns: [{ name: '1' }, { name: '2' }], ...body };
  return version === '0.4' ? { plate: { version: '0.4', ...p } } : { ome: { version: '0.5', plate: p } };
}

const codes = (r: ValidationReport, severity?: string) => r.findings.filter((f) => !severity || f.severity === severity).map((f) => f.code);

describe('documents that are not NGFF at all', () => {
  it.each([[null], [[]], [3], ['text']])('%j → not-an-object, without throwing', (doc) => {
    const report = validateAttributes(doc);
    expect(report.valid).toBe(false);
    expect(codes(report)).toEqual(['not-an-object']);
  });

  it('objects JSON.parse would never make → not-json or plain data, without throwing', () => {
    const cyclic: Record<string, unknown> = { multiscales: [] };
    cyclic.self = cyclic;
    expect(codes(validateAttributes(cyclic))).toEqual(['not-json']);
    expect(codes(validateAttributes({ ome: { version: '0.5', size: 10n } }))).toEqual(['not-json']);
    const bare = Object.assign(Object.create(null) as object, { multiscales: [Object.create(null), Object.create(null)] });
    expect(validateAttributes(bare, { version: '0.4' }).valid).toBe(false); // found by fast-check: used to crash Ajv's uniqueItems
  });

  it('no NGFF keys → ngff-metadata-missing', () => {
    expect(codes(validateAttributes({}))).toEqual(['ngff-metadata-missing']);
    expect(codes(validateAttributes({ foo: { bar: 1 } }))).toEqual(['ngff-metadata-missing']);
  });

  it.skipIf(skip)('an unsupported version → version-unsupported', () => {
    expect(codes(validateAttributes({ ome: { version: '0.3', multiscales: [] } }))).toEqual(['version-unsupported']);
    expect(codes(validateAttributes({ multiscales: [{ version: '0.3' }] }))).toEqual(['version-unsupported']);
  });

  it.skipIf(skip)('0.5 metadata outside "ome" → ome-namespace-missing (plus the schema error)', () => {
    const report = validateAttributes({ well: { images: [{ path: '0' }] } }, { version: '0.5' });
    expect(codes(report)).toEqual(expect.arrayContaining(['ome-namespace-missing', 'schema']));
  });

  it.skipIf(skip)('an unversioned 0.4 document is read as 0.4, with a note', () => {
    const report = validateAttributes({ well: { images: [{ path: '0' }] } });
    expect(report).toMatchObject({ valid: true, version: '0.4' });
    expect(codes(report, 'info')).toEqual(['version-assumed']);
  });

  it.skipIf(skip)('kind the version does not have → kind-unsupported', () => {
    expect(codes(validateAttributes({ ome: { version: '0.5', scene: {} } }))).toEqual(['kind-unsupported']);
  });
});

describe.skipIf(skip)('multiscales and axes checks', () => {
  it('a well-formed image is valid and says so', () => {
    const report = validateAttributes(image05());
    expect(report).toMatchObject({ valid: true, version: '0.5', message: 'attributes is valid OME-NGFF 0.5' });
  });

  it('axis-name-duplicate', () => {
    const report = validateAttributes(image05({ axes: [space('y'), space('y', 'nanometer')] }));
    expect(codes(report, 'error')).toEqual(['axis-name-duplicate']);
  });

  it('axes-order and axes-type-count (0.4/0.5)', () => {
    const t = { name: 't', type: 'time', unit: 'second' };
    expect(codes(validateAttributes(image05({ axes: [space('y'), t, space('x')], datasets: [{ path: '0', coordinateTransformations: scale(1, 1, 1) }] })), 'error')).toEqual(['axes-order']);
    const twoTimes = image05({ axes: [t, { ...t, name: 't2' }, space('y'), space('x')], datasets: [{ path: '0', coordinateTransformations: scale(1, 1, 1, 1) }] });
    expect(codes(validateAttributes(twoTimes), 'error')).toContain('axes-type-count');
  });

  it('custom axis types and unknown units are warnings: valid, but not strict-valid', () => {
    const doc = image05({ type: 'gaussian', metadata: {}, axes: [{ name: 'angle', type: 'custom' }, space('y', 'micron'), space('x')], datasets: [{ path: '0', coordinateTransformations: scale(1, 1, 1) }] });
    const relaxed = validateAttributes(doc);
    expect(relaxed.valid).toBe(true);
    expect(codes(relaxed, 'warning')).toEqual(['axis-type-unknown', 'axis-unit-unknown']);
    const strict = validateAttributes(doc, { strict: true });
    expect(strict.valid).toBe(false);
    expect(strict.message).toMatch(/^strict: axis-type-unknown/);
  });

  it('missing space units warn; missing time units are only noted', () => {
    const doc = image05({ axes: [{ name: 't', type: 'time' }, { name: 'y', type: 'space' }, space('x')], datasets: [{ path: '0', coordinateTransformations: scale(1, 1, 1) }] });
    const report = validateAttributes(doc);
    expect(codes(report, 'warning')).toEqual(['axis-unit-missing']);
    expect(codes(report, 'info')).toContain('time-unit-missing');
  });

  it('scale-length-mismatch is a warning on bare attributes (the suites accept it)', () => {
    const report = validateAttributes(image05({ datasets: [{ path: '0', coordinateTransformations: scale(1, 1, 1) }] }));
    expect(report.valid).toBe(true);
    expect(codes(report, 'warning')).toEqual(['scale-length-mismatch']);
  });

  it('dataset-path-duplicate and dataset-path-invalid', () => {
    const ds = (p: string, s: number) => ({ path: p, coordinateTransformations: scale(s, s) });
    expect(codes(validateAttributes(image05({ datasets: [ds('0', 1), ds('0', 2)] })), 'error')).toEqual(['dataset-path-duplicate']);
    expect(codes(validateAttributes(image05({ datasets: [ds('../0', 1)] })), 'error')).toEqual(['dataset-path-invalid']);
  });

  it('levels-not-ordered when a later level has a finer scale', () => {
    const doc = image05({ datasets: [{ path: '0', coordinateTransformations: scale(2, 2) }, { path: '1', coordinateTransformations: scale(1, 1) }] });
    expect(codes(validateAttributes(doc), 'error')).toEqual(['levels-not-ordered']);
  });

  it('scale-not-positive', () => {
    expect(codes(validateAttributes(image05({ datasets: [{ path: '0', coordinateTransformations: scale(0, 1) }] })), 'warning')).toEqual(['scale-not-positive']);
  });

  it('omero-color-invalid and omero-window-invalid', () => {
    const omero = { channels: [{ color: 'red', window: { min: 0, max: 255, start: 200, end: 100 } }] };
    const report = validateAttributes(image05({}, { omero }));
    expect(codes(report, 'warning')).toEqual(['omero-color-invalid', 'omero-window-invalid']);
  });

  it('0.6: coordinate-system-missing when a dataset maps to an undefined system', () => {
    const doc = {
      ome: {
        version: '0.6rc0',
        multiscales: [{
          name: 'img',
          coordinateSystems: [{ name: 'physical', axes: [space('y'), space('x')] }],
          datasets: [{ path: 's0', coordinateTransformations: [{ type: 'scale', scale: [1, 1], input: { path: 's0' }, output: { name: 'world' } }] }],
        }],
      },
    };
    const report = validateAttributes(doc);
    expect(report.version).toBe('0.6');
    expect(codes(report, 'error')).toEqual(['coordinate-system-missing']);
  });
});

describe.skipIf(skip)('plate, well and label checks', () => {
  const well = (p: string, r: number, c: number) => ({ path: p, rowIndex: r, columnIndex: c });

  it('well-path-mismatch is an error in 0.5 and a note in 0.4 (whose own suite writes column/row)', () => {
    expect(codes(validateAttributes(plate('0.5', { wells: [well('A/2', 0, 0)] })), 'error')).toEqual(['well-path-mismatch']);
    const v04 = validateAttributes(plate('0.4', { wells: [well('A/2', 0, 0)] }));
    expect(v04.valid).toBe(true);
    expect(codes(v04, 'info')).toEqual(['well-path-mismatch']);
  });

  it('well-index-out-of-range and well-position-duplicate', () => {
    expect(codes(validateAttributes(plate('0.5', { wells: [well('A/1', 0, 5)] })), 'error')).toEqual(['well-index-out-of-range']);
    expect(codes(validateAttributes(plate('0.5', { wells: [well('A/1', 0, 0), { ...well('A/1', 0, 0), extra: 1 }] })), 'error')).toEqual(['well-position-duplicate']);
  });

  it('acquisition-id-duplicate', () => {
    const doc = plate('0.5', { wells: [well('A/1', 0, 0)], acquisitions: [{ id: 1 }, { id: 1, name: 'again' }] });
    expect(codes(validateAttributes(doc), 'error')).toEqual(['acquisition-id-duplicate']);
  });

  it('well-image-duplicate', () => {
    const doc = { ome: { version: '0.5', well: { images: [{ path: '0' }, { path: '0', acquisition: 1 }] } } };
    expect(codes(validateAttributes(doc), 'error')).toEqual(['well-image-duplicate']);
  });

  it('label-value-duplicate', () => {
    const doc = { ome: { version: '0.5', 'image-label': { colors: [{ 'label-value': 1, rgba: [0, 0, 0, 255] }, { 'label-value': 1, rgba: [9, 9, 9, 255] }] } } };
    expect(codes(validateAttributes(doc), 'warning')).toEqual(['label-value-duplicate']);
  });
});

describe('the check registries', () => {
  it('name every check with a stable kebab-case code', () => {
    for (const check of [...ATTRIBUTE_CHECKS, ...PYRAMID_CHECKS]) expect(check.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(ATTRIBUTE_CHECKS.map((c) => c.name)).size).toBe(ATTRIBUTE_CHECKS.length);
  });
});

describe('reports for humans', () => {
  it('formatReport puts the verdict first and errors before warnings', () => {
    const text = formatReport({
      valid: false,
      version: '0.5',
      message: 'dataset-missing: dataset "2" does not exist (at /2)',
      findings: [
        { code: 'axis-unit-missing', severity: 'warning', message: 'space axis "x" has no unit', path: '/#/ome/multiscales/0/axes/1' },
        { code: 'dataset-missing', severity: 'error', message: 'dataset "2" does not exist', path: '/2' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'INVALID: dataset-missing: dataset "2" does not exist (at /2)',
      '  error   dataset-missing [/2]: dataset "2" does not exist',
      '  warning axis-unit-missing [/#/ome/multiscales/0/axes/1]: space axis "x" has no unit',
      '1 error(s), 1 warning(s), 0 note(s)',
    ]);
  });
});

describe.skipIf(skip)('attribute files and the schema folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-attrs-'));
  const saved = process.env.FAIRIO_NGFF_SCHEMAS;
  afterEach(() => {
    if (saved === undefined) delete process.env.FAIRIO_NGFF_SCHEMAS;
    else process.env.FAIRIO_NGFF_SCHEMAS = saved;
  });

  it('reads files with // comment lines, as the upstream examples have', () => {
    const file = path.join(dir, 'commented.json');
    fs.writeFileSync(file, `// an upstream-style comment\n${JSON.stringify(image05(), null, 2)}\n  // another\n`);
    expect(validateAttributesFile(file)).toMatchObject({ valid: true, version: '0.5' });
  });

  it('reports invalid JSON as a finding and a missing file as NOT_FOUND', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"ome": {');
    expect(codes(validateAttributesFile(file))).toEqual(['invalid-json']);
    expect(() => validateAttributesFile(path.join(dir, 'absent.json'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('finds the schemas beside the project, or where FAIRIO_NGFF_SCHEMAS says', () => {
    expect(schemasRoot()).toBe(shared('ngff'));
    process.env.FAIRIO_NGFF_SCHEMAS = shared('ngff');
    expect(schemasRoot()).toBe(shared('ngff'));
  });

  it('throws a FairioError naming the folder when the schemas are not there', () => {
    process.env.FAIRIO_NGFF_SCHEMAS = path.join(dir, 'no-schemas-here');
    expect(() => validateAttributes(image05())).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('no-schemas-here') }));
  });
});
