/**
 * `fairio validate --json` as the upstream conformance runner calls it (the
 * path last, `{"valid": bool, "message": str}` on stdout) gives the expected
 * verdict for every case of the shared NGFF suites.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conformanceCases, KNOWN_EXCEPTIONS } from '../../../tests/helpers/ngff-suites.js';
import { hasSharedData, missing } from '../../../tests/helpers/reference.js';
import { runInProcess } from '../run-in-process.js';

const skip = missing('OME-NGFF schemas and suites (../shared/data/ngff)', hasSharedData);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-validate-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.skipIf(skip)('fairio validate --json over the NGFF conformance suites', () => {
  const cases = skip ? [] : conformanceCases();
  const suites = [...new Set(cases.map((c) => c.suite))];
  const tally: string[] = [];
  afterAll(() => console.log(`fairio validate (CLI) conformance, passed/cases:\n${tally.join('\n')}`));

  it.each(suites)('%s', async (suite) => {
    const wrong: string[] = [];
    const mine = cases.filter((c) => c.suite === suite);
    let passed = 0;
    for (const c of mine) {
      const args = ['validate', '--json', '--exit-zero', ...(c.strict ? ['--strict'] : [])];
      if (c.data !== undefined) {
        const file = path.join(work, `${c.name.replace(/[^\w.-]/g, '_')}.json`);
        fs.writeFileSync(file, JSON.stringify(c.data));
        args.push('--attributes', '--ngff', c.version!, file);
      } else if (c.file) {
        args.push('--attributes', c.file);
      } else {
        args.push('--metadata-only', c.store!);
      }
      const result = await runInProcess(args);
      expect(result.code, `${c.name}: ${result.stderr}`).toBe(0);
      const verdict = JSON.parse(result.stdout) as { valid: boolean; message: string };
      expect(typeof verdict.message).toBe('string');
      const ok = verdict.valid === c.expected;
      if (ok) passed++;
      if (ok === (c.name in KNOWN_EXCEPTIONS)) wrong.push(`${c.name}: expected ${c.expected ? 'valid' : 'invalid'}, got ${verdict.message}`);
    }
    tally.push(`  ${suite.padEnd(40)} ${passed}/${mine.length}`);
    expect(wrong).toEqual([]);
  });

  it('exits 1 on an invalid document without --exit-zero, and 0 on a valid one', async () => {
    const invalid = cases.find((c) => !c.expected && c.file)!;
    const valid = cases.find((c) => c.expected && c.file && !(c.name in KNOWN_EXCEPTIONS))!;
    expect((await runInProcess(['validate', '--attributes', invalid.file!])).code).toBe(1);
    expect((await runInProcess(['validate', '--attributes', valid.file!])).code).toBe(0);
  });
});
