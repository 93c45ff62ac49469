/** crate verify names every modified, missing and added file; the manifest is what sha256sum reads. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeImage, makeInput, tempDir } from './__fixtures__/images.js';
import { listFiles } from './hash.js';
import { formatManifest, parseManifest } from './manifest.js';
import { recordRun } from './record.js';
import { verifyCrate } from './verify.js';

async function crateWithImage() {
  const dir = tempDir();
  const input = makeInput(path.join(dir, 'cells.tif'));
  const output = await makeImage(path.join(dir, 'cells.ome.zarr'));
  await recordRun({ name: 'convert', tool: 'convert', inputs: [input], outputs: [output], startTime: new Date() }, { images: { [output]: { license: 'CC0-1.0' } } });
  return { dir, output };
}

function flipByte(file: string, at?: number): void {
  const data = fs.readFileSync(file);
  const i = at ?? Math.floor(data.length / 2);
  data[i] ^= 0x01;
  fs.writeFileSync(file, data);
}

describe('verifyCrate', () => {
  it('passes an untouched crate, and sha256sum -c agrees with the manifest', async () => {
    const { dir, output } = await crateWithImage();
    const report = await verifyCrate(dir);
    expect(report).toMatchObject({ ok: true, modified: [], missing: [], added: [], problems: [] });
    expect(report.checked).toBeGreaterThan(5);
    expect((await verifyCrate(output)).ok).toBe(true);
    const out = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: dir, encoding: 'utf8' });
    expect(out).not.toMatch(/FAILED/);
  });

  it('detects a flipped byte in every data file, naming it', async () => {
    const { dir } = await crateWithImage();
    const files = (await listFiles(dir)).filter((f) => !['ro-crate-metadata.json', 'ro-crate-preview.html', 'manifest-sha256.txt'].includes(f));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const absolute = path.join(dir, file);
      const original = fs.readFileSync(absolute);
      flipByte(absolute);
      const report = await verifyCrate(dir);
      expect(report.ok, file).toBe(false);
      expect(report.modified, file).toEqual([file]);
      fs.writeFileSync(absolute, original);
    }
    expect((await verifyCrate(dir)).ok).toBe(true);
  });

  it('names deleted and added files', async () => {
    const { dir } = await crateWithImage();
    fs.rmSync(path.join(dir, 'cells.ome.zarr', '0', 'c', '1', '0', '0'));
    fs.rmSync(path.join(dir, 'cells.tif'));
    fs.writeFileSync(path.join(dir, 'cells.ome.zarr', 'notes.txt'), 'added later');
    const report = await verifyCrate(dir);
    expect(report.ok).toBe(false);
    expect(report.missing).toEqual(['cells.ome.zarr/0/c/1/0/0', 'cells.tif']);
    expect(report.added).toEqual(['cells.ome.zarr/notes.txt']);
    expect(report.modified).toEqual([]);
  });

  it('notices an edited manifest', async () => {
    const { dir } = await crateWithImage();
    const file = path.join(dir, 'manifest-sha256.txt');
    const entries = parseManifest(fs.readFileSync(file, 'utf8'));
    entries[0].sha256 = '0'.repeat(64);
    fs.writeFileSync(file, formatManifest(entries));
    const report = await verifyCrate(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.join()).toMatch(/manifest-sha256.txt was changed/);
    expect(report.modified).toEqual([entries[0].path]);
  });
});

describe('manifest', () => {
  it('round-trips names sha256sum has to escape', () => {
    const entries = [
      { path: 'plain.txt', sha256: 'a'.repeat(64) },
      { path: 'back\\slash', sha256: 'b'.repeat(64) },
      { path: 'new\nline', sha256: 'c'.repeat(64) },
    ];
    const text = formatManifest(entries);
    expect(text).toContain(`\\${'b'.repeat(64)}  back\\\\slash\n`);
    expect(parseManifest(text)).toEqual(entries.sort((a, b) => (a.path < b.path ? -1 : 1)));
  });

  it('rejects lines that are not "SHA256  PATH"', () => {
    expect(() => parseManifest('nonsense\n', 'm.txt')).toThrow(/m.txt: line 1 is not/);
  });
});
