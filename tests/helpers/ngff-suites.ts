/**
 * The upstream OME-NGFF conformance suites in ../shared/data/ngff, enumerated
 * once for every test that runs them (the validator's own test and the
 * command-line runner test), with the cases that cannot pass and why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { shared } from './reference.js';

/** Store fixtures written before 0.6rc0's schema changed transformation endpoints to objects. */
export const STALE_ENDPOINTS =
  'the fixture writes transformation "input"/"output" as plain strings ("path/to/0", "intrinsic"); the 0.6rc0 schema ' +
  '(and the same documents in tests/attributes) require {"path": …} / {"name": …} objects, so upstream\'s own ' +
  'jsonschema runner rejects it too; tests/attributes/spec/invalid/image/invalid_multiscale_transform_input_output.json ' +
  'is the same document with string endpoints and must be invalid, so no validator can satisfy both suites';

/** Case name (relative to 0.6rc0/tests, without extension) → why it cannot get the expected verdict. */
export const KNOWN_EXCEPTIONS: Record<string, string> = {
  'zarr/spec/valid/image/custom_type_axes': STALE_ENDPOINTS,
  'zarr/spec/valid/image/invalid_axis_units': STALE_ENDPOINTS,
  'zarr/spec/valid/image/mismatch_axes_units': STALE_ENDPOINTS,
  'zarr/spec/valid/image/missing_name': STALE_ENDPOINTS,
  'zarr/spec/valid/image/untyped_axes': STALE_ENDPOINTS,
  'zarr/strict/valid/image/image': STALE_ENDPOINTS,
  'zarr/strict/valid/image/image_metadata': STALE_ENDPOINTS,
  'zarr/strict/valid/image/image_omero': STALE_ENDPOINTS,
  'zarr/strict/valid/image/multiscales_example': STALE_ENDPOINTS,
  'zarr/strict/valid/image/multiscales_transformations': STALE_ENDPOINTS,
};

/** Files under `dir`, depth first, sorted; `accept` decides per entry. */
export function files(dir: string, accept: (name: string, isDir: boolean) => 'take' | 'descend' | 'skip'): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      const what = accept(e.name, e.isDirectory());
      return what === 'take' ? [full] : what === 'descend' ? files(full, accept) : [];
    })
    .sort();
}

export interface ConformanceCase {
  /** e.g. "0.4 strict_image_suite", "0.6rc0 zarr spec/plate". */
  suite: string;
  /** Unique name, as used in KNOWN_EXCEPTIONS. */
  name: string;
  expected: boolean;
  strict: boolean;
  version?: '0.4' | '0.5';
  /** Inline document (0.4 / 0.5 suites). */
  data?: unknown;
  /** An attributes document file (0.6rc0 tests/attributes). */
  file?: string;
  /** A metadata-only store (0.6rc0 tests/zarr). */
  store?: string;
}

/** Every case of every suite. */
export function conformanceCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const version of ['0.4', '0.5'] as const) {
    for (const file of files(shared('ngff', version, 'tests'), (n) => (n.endsWith('_suite.json') ? 'take' : 'skip'))) {
      const suite = JSON.parse(fs.readFileSync(file, 'utf8')) as { schema: { id: string }; tests: { data: unknown; valid: boolean }[] };
      const name = `${version}/${path.basename(file, '.json')}`;
      const strict = path.basename(suite.schema.id).startsWith('strict_');
      suite.tests.forEach((t, i) => cases.push({ suite: `${version} ${path.basename(file, '.json')}`, name: `${name}#${i}`, expected: t.valid, strict, version, data: t.data }));
    }
  }
  const attributes = shared('ngff', '0.6rc0', 'tests', 'attributes');
  for (const file of files(attributes, (n, dir) => (dir ? 'descend' : n.endsWith('.json') ? 'take' : 'skip'))) {
    const rel = path.relative(attributes, file).split(path.sep);
    cases.push({ suite: `0.6rc0 attributes ${rel[0]}/${rel[2]}`, name: `attributes/${rel.join('/').replace(/\.json$/, '')}`, expected: rel[1] === 'valid', strict: rel[0] === 'strict', file });
  }
  const zarr = shared('ngff', '0.6rc0', 'tests', 'zarr');
  for (const store of files(zarr, (n, dir) => (dir ? (n.endsWith('.zarr') ? 'take' : 'descend') : 'skip'))) {
    const rel = path.relative(zarr, store).split(path.sep);
    cases.push({ suite: `0.6rc0 zarr ${rel[0]}/${rel[2]}`, name: `zarr/${rel.join('/').replace(/\.ome\.zarr$/, '')}`, expected: rel[1] === 'valid', strict: rel[0] === 'strict', store });
  }
  return cases;
}
