/**
 * The built `fairio` executable as a user meets it: help for every command,
 * version, exit codes, one-line errors, JSON output, progress only on a
 * terminal, and nothing half-written after a failure.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing, projectRoot, shared } from '../helpers/reference.js';
import { serveFolder } from '../helpers/static-server.js';

const bin = path.join(projectRoot, 'cli', 'dist', 'bin.js');
const execFileAsync = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function fairio(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync('node', [bin, ...args], { cwd: work, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  // The suite runs against the build, as users do; `npm test` builds first.
  if (!fs.existsSync(bin)) execFileSync('npx', ['tsc', '-b'], { cwd: projectRoot, stdio: 'inherit' });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('fairio command line', () => {
  it('lists every subcommand and documents each option', async () => {
    const help = await fairio('--help');
    expect(help.code).toBe(0);
    for (const command of ['convert', 'info', 'validate', 'sample']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command} `, 'm'));
      const sub = await fairio(command, '--help');
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain('--json');
      expect(sub.stdout).toContain('--quiet');
    }
    expect((await fairio('convert', '--help')).stdout).toMatch(/--chunks <shape>[\s\S]*--shards <shape>[\s\S]*--compressor <name>/);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'cli', 'package.json'), 'utf8')) as { version: string };
    expect((await fairio('--version')).stdout.trim()).toBe(version);
  });

  it('exits 2 on a usage error', async () => {
    const run = await fairio('frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });

  it('makes the sample, converts it, validates and describes it, as npm start does', async () => {
    expect((await fairio('sample', 'sample.ome.tiff', '--size', '300', '--depth', '3')).code).toBe(0);
    const convert = await fairio('convert', 'sample.ome.tiff', 'sample.ome.zarr', '--json', '--chunks', '1,1,128,128');
    expect(convert.code, convert.stderr).toBe(0);
    // Not a terminal: no progress bar, nothing on stderr.
    expect(convert.stderr).toBe('');
    const written = JSON.parse(convert.stdout) as { levels: { shape: number[] }[] };
    expect(written.levels.map((l) => l.shape)).toEqual([
      [2, 3, 300, 300],
      [2, 3, 150, 150],
      [2, 3, 75, 75],
    ]);
    expect((await fairio('validate', 'sample.ome.zarr', '--strict')).code).toBe(0);
    const info = JSON.parse((await fairio('info', 'sample.ome.zarr', '--json')).stdout) as { image: { axes: { name: string; unit?: string }[]; channels: { label: string }[] } };
    expect(info.image.axes.map((a) => a.name)).toEqual(['c', 'z', 'y', 'x']);
    expect(info.image.axes[3].unit).toBe('micrometer');
    expect(info.image.channels.map((c) => c.label)).toEqual(['DAPI', 'GFP']);
  });

  it('shows a progress bar on a terminal, and none with --quiet', async () => {
    await fairio('sample', 'tty.ome.tiff', '--size', '256', '--depth', '2');
    const inTerminal = (args: string) =>
      execFileSync('script', ['-qec', `FAIRIO_PROGRESS_AFTER_MS=0 node ${bin} ${args}`, '/dev/null'], { cwd: work, encoding: 'utf8' });
    expect(inTerminal('convert tty.ome.tiff tty.ome.zarr --chunks 1,1,32,32')).toMatch(/converting \[.*\] \d+%/);
    expect(inTerminal('convert tty.ome.tiff tty2.ome.zarr --chunks 1,1,32,32 --quiet')).not.toMatch(/converting \[/);
  });

  it('a TIFF with a bad IFD offset: one-line error naming the file, exit 1, nothing left behind', async () => {
    await fairio('sample', 'good.ome.tiff', '--size', '64', '--depth', '1');
    const bytes = fs.readFileSync(path.join(work, 'good.ome.tiff'));
    bytes.writeUInt32LE(bytes.length + 1000, 4); // first IFD offset beyond the end of the file
    fs.writeFileSync(path.join(work, 'bad.tiff'), bytes);
    const run = await fairio('convert', 'bad.tiff', 'bad.ome.zarr');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^fairio: error: bad\.tiff: .*(IFD|offset)/);
    expect(fs.readdirSync(work).filter((f) => f.includes('bad.ome.zarr'))).toEqual([]);
  });

  it('--json errors carry the error code', async () => {
    const run = await fairio('info', 'no-such.zarr', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe.skipIf(missing('shared reference data', hasSharedData))('fairio info over HTTP', () => {
  it('describes a remote multiscale store', async () => {
    const server = await serveFolder(shared('samples', 'ome-zarr'));
    try {
      const run = await fairio('info', `${server.url}/v05-multiscale-input9.zarr`, '--json');
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as { ngffVersion: string; image: { levels: unknown[] } };
      expect(summary.ngffVersion).toBe('0.5');
      expect(summary.image.levels).toHaveLength(5);
      const text = await fairio('info', `${server.url}/bf2raw-camera.ome.zarr`);
      expect(text.stdout).toMatch(/bioformats2raw[\s\S]*camera\.jpg/);
    } finally {
      await server.close();
    }
  });
});

describe('node commands leave a crate', () => {
  it('threshold → label → measure each add an action to the folder crate, a failed run too', async () => {
    const dir = fs.mkdtempSync(path.join(work, 'nodes-'));
    const inDir = (...args: string[]) => execFileAsync('node', [bin, ...args], { cwd: dir, encoding: 'utf8' });
    await inDir('sample', 's.ome.tiff', '--size', '96', '--depth', '2');
    await inDir('convert', 's.ome.tiff', 's.ome.zarr', '--quiet');
    await inDir('threshold', 's.ome.zarr', 'mask.ome.zarr', '--channel', '0', '--license', 'CC-BY-4.0', '--creator', 'Ada Lovelace <0000-0002-1825-0097>');
    await inDir('label', 'mask.ome.zarr', 'labels.ome.zarr');
    await inDir('measure', 'labels.ome.zarr', 'table.csv');
    await expect(inDir('label', 'missing.ome.zarr', 'x.ome.zarr')).rejects.toMatchObject({ code: 1 });
    const crate = JSON.parse(fs.readFileSync(path.join(dir, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] };
    const actions = crate['@graph'].filter((e) => e['@type'] === 'CreateAction');
    expect(actions.map((a) => String(a.actionStatus).replace('http://schema.org/', ''))).toEqual([
      'CompletedActionStatus',
      'CompletedActionStatus',
      'CompletedActionStatus',
      'CompletedActionStatus',
      'FailedActionStatus',
    ]);
    expect(String(actions[4].error)).toContain('missing.ome.zarr');
    // The threshold's agent is the creator given, by ORCID; its mask carries its own FAIR image crate.
    expect(actions[1].agent).toEqual({ '@id': 'https://orcid.org/0000-0002-1825-0097' });
    expect(fs.existsSync(path.join(dir, 'mask.ome.zarr', 'ro-crate-metadata.json'))).toBe(true);
    const verify = await fairio('crate', 'verify', dir);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
