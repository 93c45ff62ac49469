/**
 * The upstream OME-NGFF conformance suites decide whether fairio's validator
 * is right: every case in 0.4/tests and 0.5/tests (JSON-Schema-Test-Suite
 * style), every document in 0.6rc0/tests/attributes and every store in
 * 0.6rc0/tests/zarr must get the expected verdict. Cases that cannot pass
 * for a reason outside fairio are listed in KNOWN_EXCEPTIONS with the reason,
 * and the test fails if one of them starts passing (so the list stays true).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { files, KNOWN_EXCEPTIONS } from '../../../tests/helpers/ngff-suites.js';
import { hasSharedData, missing, shared } from '../../../tests/helpers/reference.js';
import { parseJsonWithComments, validateAttributes, validateStore, type ValidationReport } from './index.js';

type Version = '0.4' | '0.5' | '0.6';



/** Invalid fixtures that are not even JSON upstream: they pass, but on `invalid-json`, not on what they meant to test. */
const BROKEN_JSON_FIXTURES = ['zarr/spec/invalid/label/colors_rgba_length', 'zarr/spec/invalid/plate/zero_field_count'];

interface Tally {
  passed: number;
  total: number;
  exceptions: number;
}
const tallies = new Map<string, Tally>();

function record(suite: string, outcome: 'pass' | 'fail' | 'exception'): void {
  const t = tallies.get(suite) ?? { passed: 0, total: 0, exceptions: 0 };
  t.total++;
  if (outcome === 'pass') t.passed++;
  if (outcome === 'exception') t.exceptions++;
  tallies.set(suite, t);
}

afterAll(() => {
  if (tallies.size === 0) return;
  const lines = [...tallies].map(([suite, t]) => `  ${suite.padEnd(40)} ${String(t.passed).padStart(3)}/${String(t.total).padEnd(3)}${t.exceptions ? ` (${t.exceptions} known exception${t.exceptions > 1 ? 's' : ''})` : ''}`);
  const sum = [...tallies.values()].reduce((a, t) => ({ passed: a.passed + t.passed, total: a.total + t.total, exceptions: a.exceptions + t.exceptions }), { passed: 0, total: 0, exceptions: 0 });
  lines.push(`  ${'total'.padEnd(40)} ${String(sum.passed).padStart(3)}/${sum.total} (${sum.exceptions} known exceptions)`);
  console.log(`OME-NGFF conformance (passed/cases):\n${lines.join('\n')}`);
});


interface Outcome {
  name: string;
  expected: boolean;
  report: ValidationReport;
}

/** Tally a suite's outcomes and return the unexpected ones, with messages, for the assertion. */
function judge(suite: string, outcomes: Outcome[]): string[] {
  const unexpected: string[] = [];
  for (const o of outcomes) {
    const ok = o.report.valid === o.expected;
    const excused = KNOWN_EXCEPTIONS[o.name] !== undefined;
    if (excused && ok) unexpected.push(`${o.name}: listed as a known exception but now passes; remove it from KNOWN_EXCEPTIONS`);
    if (!excused && !ok) unexpected.push(`${o.name}: expected ${o.expected ? 'valid' : 'invalid'}, got ${o.report.message}`);
    record(suite, excused ? 'exception' : ok ? 'pass' : 'fail');
  }
  return unexpected;
}

/** The repair the stale fixtures need: dataset transformations start at {path}, everything else names {name}. */
function withObjectEndpoints(attrs: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(attrs)) as { ome: { multiscales: Record<string, unknown>[] } };
  const fix = (t: Record<string, unknown>, inputKey: 'path' | 'name') => {
    if (typeof t.input === 'string') t.input = { [inputKey]: t.input };
    if (typeof t.output === 'string') t.output = { name: t.output };
  };
  for (const m of copy.ome.multiscales) {
    for (const d of m.datasets as { coordinateTransformations: Record<string, unknown>[] }[]) d.coordinateTransformations.forEach((t) => fix(t, 'path'));
    for (const t of (m.coordinateTransformations ?? []) as Record<string, unknown>[]) fix(t, 'name');
  }
  return copy;
}

const skip = missing('OME-NGFF schemas and suites (../shared/data/ngff)', hasSharedData);

describe.skipIf(skip)('OME-NGFF 0.4 and 0.5 schema test suites', () => {
  const suites = skip
    ? []
    : (['0.4', '0.5'] as const).flatMap((version) =>
        files(shared('ngff', version, 'tests'), (n) => (n.endsWith('_suite.json') ? 'take' : 'skip')).map((file) => ({ version, file, suite: path.basename(file, '.json') })),
      );

  it.each(suites)('$version $suite', ({ version, file }) => {
    const suite = parseJsonWithComments(fs.readFileSync(file, 'utf8')) as { schema: { id: string }; tests: { data: unknown; valid: boolean; description?: string }[] };
    const strict = path.basename(suite.schema.id).startsWith('strict_');
    const name = `${version}/${path.basename(file, '.json')}`;
    const outcomes = suite.tests.map((t, i) => ({
      name: `${name}#${i}`,
      expected: t.valid,
      report: validateAttributes(t.data, { version: version as Version, strict }),
    }));
    expect(judge(name, outcomes)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(0);
  });

  it('detects the version itself and reaches the same verdicts', () => {
    const disagreements = suites.flatMap(({ version, file }) => {
      const suite = JSON.parse(fs.readFileSync(file, 'utf8')) as { schema: { id: string }; tests: { data: unknown; valid: boolean }[] };
      const strict = path.basename(suite.schema.id).startsWith('strict_');
      return suite.tests.flatMap((t, i) => {
        const report = validateAttributes(t.data, { strict });
        return report.valid === t.valid ? [] : [`${version}/${path.basename(file)}#${i}: ${report.message}`];
      });
    });
    expect(disagreements).toEqual([]);
  });
});

describe.skipIf(skip)('OME-NGFF 0.6rc0 conformance: attribute documents', () => {
  const root = skip ? '' : shared('ngff', '0.6rc0', 'tests', 'attributes');
  // One suite per strictness and kind (spec/image, strict/plate…), valid and invalid together as in 0.4/0.5.
  const groups = new Map<string, string[]>();
  if (!skip) {
    for (const file of files(root, (n, dir) => (dir ? 'descend' : n.endsWith('.json') ? 'take' : 'skip'))) {
      const [strictness, , kind] = path.relative(root, file).split(path.sep);
      const key = `${strictness}/${kind}`;
      groups.set(key, [...(groups.get(key) ?? []), file]);
    }
  }

  it.each([...groups.keys()])('%s', (key) => {
    const outcomes = groups.get(key)!.map((file) => {
      const rel = path.relative(root, file).split(path.sep);
      const doc = parseJsonWithComments(fs.readFileSync(file, 'utf8'));
      return {
        name: `attributes/${rel.join('/').replace(/\.json$/, '')}`,
        expected: rel[1] === 'valid',
        report: validateAttributes(doc, { strict: rel[0] === 'strict' }),
      };
    });
    expect(judge(`0.6rc0 attributes ${key}`, outcomes)).toEqual([]);
  });
});

describe.skipIf(skip)('OME-NGFF 0.6rc0 conformance: Zarr hierarchies', () => {
  const root = skip ? '' : shared('ngff', '0.6rc0', 'tests', 'zarr');
  const stores = skip ? [] : files(root, (n, dir) => (dir ? (n.endsWith('.zarr') ? 'take' : 'descend') : 'skip'));
  const groups = new Map<string, string[]>();
  for (const store of stores) {
    const [strictness, , kind] = path.relative(root, store).split(path.sep);
    const key = `${strictness}/${kind}`;
    groups.set(key, [...(groups.get(key) ?? []), store]);
  }
  const nameOf = (store: string) => `zarr/${path.relative(root, store).split(path.sep).join('/').replace(/\.ome\.zarr$/, '')}`;

  // The fixtures hold only the root zarr.json (no arrays, no wells), so they are validated as metadata-only stores.
  it.each([...groups.keys()])('%s', async (key) => {
    const outcomes = await Promise.all(
      groups.get(key)!.map(async (store) => {
        const rel = path.relative(root, store).split(path.sep);
        return { name: nameOf(store), expected: rel[1] === 'valid', report: await validateStore(store, { strict: rel[0] === 'strict', metadataOnly: true }) };
      }),
    );
    expect(judge(`0.6rc0 zarr ${key}`, outcomes)).toEqual([]);
  });

  it('known exceptions fail only on their stale string endpoints', async () => {
    for (const name of Object.keys(KNOWN_EXCEPTIONS)) {
      const store = path.join(root, `${name.replace(/^zarr\//, '')}.ome.zarr`);
      const report = await validateStore(store, { strict: name.includes('/strict/'), metadataOnly: true });
      const failing = report.findings.filter((f) => f.severity === 'error');
      expect(failing.length).toBeGreaterThan(0);
      const aboutEndpoints = (f: (typeof failing)[number]) => /coordinateTransformations\/\d+/.test(f.path ?? '') || /more schema error/.test(f.message);
      expect(failing.filter((f) => f.code !== 'schema' || !aboutEndpoints(f))).toEqual([]);
      // Rewrite the endpoints the way the schema wants them: then the document is valid, as the fixture intends.
      const attrs = (JSON.parse(fs.readFileSync(path.join(store, 'zarr.json'), 'utf8')) as { attributes: unknown }).attributes;
      const fixed = withObjectEndpoints(attrs);
      const again = validateAttributes(fixed, { strict: name.includes('/strict/') });
      expect(again.valid, `${name}: ${again.message}`).toBe(true);
    }
  });

  it('reports the upstream fixtures that are not JSON as invalid-json', async () => {
    for (const name of BROKEN_JSON_FIXTURES) {
      const report = await validateStore(path.join(root, `${name.replace(/^zarr\//, '')}.ome.zarr`), { metadataOnly: true });
      expect(report.valid).toBe(false);
      expect(report.findings.map((f) => f.code)).toContain('invalid-json');
    }
  });

  it('without metadataOnly, the array-less fixtures report what is missing', async () => {
    const plate = await validateStore(path.join(root, 'spec/valid/plate/minimal_acquisitions.ome.zarr'));
    expect(plate.valid).toBe(false);
    expect(plate.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['well-missing']);
    const well = await validateStore(path.join(root, 'spec/valid/well/minimal_no_acquisition.ome.zarr'));
    expect(well.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['field-missing']);
  });
});
