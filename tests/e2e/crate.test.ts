/**
 * RO-Crates from the command line: `fairio convert` leaves a crate in its
 * output and its folder (also when it fails), and `fairio crate
 * validate|verify|zip|unzip|preview` work on them with the usual exit codes
 * and one-line errors.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/reference.js';

const bin = path.join(projectRoot, 'cli', 'dist', 'bin.js');
const run = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-crate-cli-'));

async function fairio(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [bin, ...args], { cwd: work, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  if (!fs.existsSync(bin)) execFileSync('npx', ['tsc', '-b'], { cwd: projectRoot, stdio: 'inherit' });
  fs.mkdirSync(path.join(work, 'out'));
  expect((await fairio('sample', 'cells.ome.tiff', '--size', '96', '--depth', '2', '-q')).code).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('fairio convert leaves a crate', () => {
  it('records the run in the output folder and FAIR metadata in the OME-Zarr', async () => {
    const convert = await fairio('convert', 'cells.ome.tiff', 'out/cells.ome.zarr', '--json', '--license', 'CC-BY-4.0', '--organism', 'NCBITaxon:9606', '--imaging-method', 'FBbi:00000246', '--creator', 'Jane Doe <0000-0002-1825-0097>', '--chunks', '1,1,64,64');
    expect(convert.code, convert.stderr).toBe(0);
    expect(JSON.parse(convert.stdout).crate).toBe(path.join(work, 'out'));
    const folder = JSON.parse(fs.readFileSync(path.join(work, 'out', 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] };
    const action = folder['@graph'].find((e) => e['@type'] === 'CreateAction')!;
    expect(action).toMatchObject({ name: 'Convert cells.ome.tiff to OME-Zarr', actionStatus: 'http://schema.org/CompletedActionStatus', agent: { '@id': 'https://orcid.org/0000-0002-1825-0097' } });
    const image = JSON.parse(fs.readFileSync(path.join(work, 'out', 'cells.ome.zarr', 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] };
    expect(image['@graph'].find((e) => e['@id'] === './')).toMatchObject({ license: 'https://creativecommons.org/licenses/by/4.0/', name: 'fairio synthetic nuclei' });
    // The OME-Zarr is still a valid OME-Zarr with its crate inside.
    expect((await fairio('validate', 'out/cells.ome.zarr', '--strict')).code).toBe(0);
    const validate = await fairio('crate', 'validate', 'out');
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toMatch(/out: valid RO-Crate \(ro-crate, process\): 0 error\(s\)/);
  });

  it('records a failed conversion too, and refuses bad FAIR options before converting', async () => {
    fs.writeFileSync(path.join(work, 'out', 'broken.tif'), 'not a tiff at all');
    const failed = await fairio('convert', 'out/broken.tif', 'out/broken.ome.zarr');
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    const crate = JSON.parse(fs.readFileSync(path.join(work, 'out', 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] };
    const action = crate['@graph'].find((e) => e.name === 'Convert broken.tif to OME-Zarr')!;
    expect(action.actionStatus).toBe('http://schema.org/FailedActionStatus');
    expect(String(action.error)).toContain('broken.tif');
    expect(fs.existsSync(path.join(work, 'out', 'broken.ome.zarr'))).toBe(false);
    const bad = await fairio('convert', 'cells.ome.tiff', 'out/other.ome.zarr', '--imaging-method', 'confocal');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('fairio: error: "confocal" is not an FBbi imaging-method term (e.g. FBbi:00000246 for fluorescence microscopy)\n');
    expect(fs.existsSync(path.join(work, 'out', 'other.ome.zarr'))).toBe(false);
    const unlicensed = await fairio('convert', 'cells.ome.tiff', 'out/other.ome.zarr', '--license', 'nonsense');
    expect(unlicensed.code).toBe(1);
    expect(unlicensed.stderr).toBe('fairio: error: --license "nonsense" is neither an SPDX licence id (e.g. CC-BY-4.0, CC0-1.0, MIT; see https://spdx.org/licenses/) nor an http(s) URL\n');
    expect(fs.existsSync(path.join(work, 'out', 'other.ome.zarr'))).toBe(false);
    expect((await fairio('convert', 'cells.ome.tiff', 'plain.ome.zarr', '--no-crate', '-q')).code).toBe(0);
    expect(fs.existsSync(path.join(work, 'ro-crate-metadata.json'))).toBe(false);
    expect(fs.existsSync(path.join(work, 'plain.ome.zarr', 'ro-crate-metadata.json'))).toBe(false);
  });
});

describe('fairio crate', () => {
  it('verify: exit 0 when unchanged, 1 naming a modified and a deleted file', async () => {
    const ok = await fairio('crate', 'verify', 'out', '--json');
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, modified: [], missing: [] });
    const copy = path.join(work, 'copy');
    fs.cpSync(path.join(work, 'out'), copy, { recursive: true });
    const chunk = path.join(copy, 'cells.ome.zarr', '0', 'c', '0', '0', '0', '0');
    const bytes = fs.readFileSync(chunk);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(chunk, bytes);
    fs.rmSync(path.join(copy, 'broken.tif'));
    const changed = await fairio('crate', 'verify', 'copy');
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('modified cells.ome.zarr/0/c/0/0/0/0');
    expect(changed.stdout).toContain('missing  broken.tif');
  });

  it('zip, validate the zip, unzip (refusing to overwrite), preview', async () => {
    const zip = await fairio('crate', 'zip', 'out', '--json');
    expect(zip.code, zip.stderr).toBe(0);
    expect(JSON.parse(zip.stdout).path).toBe(path.join(work, 'out.crate.zip'));
    expect((await fairio('crate', 'validate', 'out.crate.zip', '--profile', 'process')).code).toBe(0);
    expect((await fairio('crate', 'unzip', 'out.crate.zip', 'unzipped')).code).toBe(0);
    expect((await fairio('crate', 'verify', 'unzipped')).code).toBe(0);
    const again = await fairio('crate', 'unzip', 'out.crate.zip', 'unzipped');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^fairio: error: unzipped: already exists/);
    fs.rmSync(path.join(work, 'out', 'ro-crate-preview.html'));
    expect((await fairio('crate', 'preview', 'out')).code).toBe(0);
    expect(fs.readFileSync(path.join(work, 'out', 'ro-crate-preview.html'), 'utf8')).toContain('Convert cells.ome.tiff to OME-Zarr');
  });

  it('validate: invalid crates exit 1, unreadable ones give a one-line error, bad profiles are usage errors', async () => {
    const bad = path.join(work, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'ro-crate-metadata.json'), JSON.stringify({ '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': [{ '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', about: { '@id': './' } }, { '@id': './', '@type': 'Dataset' }] }));
    const invalid = await fairio('crate', 'validate', 'bad', '--json');
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout).findings.map((f: { code: string }) => f.code)).toContain('ROOT_PROPERTIES');
    fs.writeFileSync(path.join(bad, 'ro-crate-metadata.json'), JSON.stringify({ '@context': 'x', '@graph': [{ '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', about: { '@id': './' } }, { '@id': './', '@type': 'Dataset', hasPart: { '@id': '../../etc/passwd' } }] }));
    const escaping = await fairio('crate', 'verify', 'bad', '--json');
    expect(escaping.code).toBe(1);
    expect(escaping.stderr).toMatch(/^fairio: error: .*"\.\.\/\.\.\/etc\/passwd", which climbs above the crate root/);
    expect(JSON.parse(escaping.stdout).error.code).toBe('UNSAFE_INPUT');
    expect((await fairio('crate', 'validate', 'out', '--profile', 'nonsense')).code).toBe(2);
  });
});
