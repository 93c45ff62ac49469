import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import YAML from 'yaml';
import { hasPython, hasSharedData, missing, projectRoot, python } from '../../../../tests/helpers/reference.js';
import { serveFolder } from '../../../../tests/helpers/static-server.js';
import { demoModel, tempDir, UNET_DIR } from '../__fixtures__/helpers.js';
import { InvalidModelError, loadModel, validatePackage } from './validate.js';
import { openModelPackage } from './load.js';
import { listZip } from './zip.js';

const skip = missing('shared bioimage.io data', hasSharedData && fs.existsSync(UNET_DIR));
const codes = (findings: { code: string; severity: string }[]) => findings.filter((f) => f.severity === 'error').map((f) => f.code);
const descriptions = skip ? [] : fs.readdirSync(UNET_DIR).filter((f) => f.endsWith('.yaml')).sort();

describe.skipIf(skip)('model descriptions in the shared folder', () => {
  it('rejects the duplicate tensor names, naming the duplicate', async () => {
    const report = await validatePackage(await openModelPackage(path.join(UNET_DIR, 'invalid_v0_4_0_duplicate_tensor_names.bioimageio.yaml')));
    expect(report.valid).toBe(false);
    const duplicate = report.findings.find((f) => f.code === 'duplicate-tensor-id')!;
    expect(duplicate.message).toContain('"data"');
  });

  it('caches schema findings by content: the second validation reads them instead of compiling the schema', async () => {
    const cacheDir = tempDir('schema-cache');
    const file = path.join(UNET_DIR, 'v0_4_9.bioimageio.yaml');
    const first = await validatePackage(await openModelPackage(file), { cacheDir });
    const cached = fs.readdirSync(path.join(cacheDir, 'schema-findings'));
    expect(cached).toHaveLength(1);
    const second = await validatePackage(await openModelPackage(file), { cacheDir });
    expect(second.findings).toEqual(first.findings);
    expect(fs.readdirSync(path.join(cacheDir, 'schema-findings'))).toEqual(cached);
    // Another description is another key.
    await validatePackage(await openModelPackage(path.join(UNET_DIR, 'bioimageio.yaml')), { cacheDir });
    expect(fs.readdirSync(path.join(cacheDir, 'schema-findings'))).toHaveLength(2);
  });

  it('accepts the 0.5 and 0.4 descriptions of the U-Net (missing PyTorch files are warnings)', async () => {
    for (const name of ['bioimageio.yaml', 'v0_4_9.bioimageio.yaml', 'v0_4_0.bioimageio.yaml', 'expand_output_shape.bioimageio.yaml']) {
      const report = await validatePackage(await openModelPackage(path.join(UNET_DIR, name)));
      expect(codes(report.findings), name).toEqual([]);
    }
  });

  it.skipIf(missing('bioimageio.spec in .venv', hasPython))('agrees with bioimageio.spec (PyPI) on every description', async () => {
    const files = descriptions.map((f) => path.join(UNET_DIR, f));
    const verdicts = JSON.parse(await python(`import runpy, sys; sys.argv = ['ref', 'validate', *sys.argv[1:]]; runpy.run_path(${JSON.stringify(path.join(projectRoot, 'tests/helpers/bioimageio_reference.py'))}, run_name='__main__')`, files)) as { file: string; status: string }[];
    expect(verdicts).toHaveLength(files.length);
    for (const v of verdicts) {
      const ours = await validatePackage(await openModelPackage(v.file));
      expect({ file: path.basename(v.file), valid: ours.valid }).toEqual({ file: path.basename(v.file), valid: v.status !== 'failed' });
    }
    // The folder has both kinds, so the agreement is not trivial.
    expect(new Set(verdicts.map((v) => v.status !== 'failed'))).toEqual(new Set([true, false]));
  });
});

/** A copy of the demo package with its description edited, for hostile variants. */
async function variant(name: string, edit: (doc: Record<string, any> /* eslint-disable-line @typescript-eslint/no-explicit-any -- edited YAML */) => void): Promise<string> {
  const source = await demoModel();
  const dir = path.join(tempDir('hostile'), name);
  fs.cpSync(source, dir, { recursive: true });
  const file = path.join(dir, 'rdf.yaml');
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  edit(doc);
  fs.writeFileSync(file, YAML.stringify(doc));
  return dir;
}

describe('hostile model packages are refused before anything runs', () => {
  it('a zip with ../ paths', async () => {
    const dir = tempDir('zip');
    const file = path.join(dir, 'evil.zip');
    fs.writeFileSync(file, zipSync({ 'rdf.yaml': new TextEncoder().encode('type: model\n'), '../escape.txt': new TextEncoder().encode('gotcha') }));
    await expect(loadModel(file, { cacheDir: path.join(dir, 'cache') })).rejects.toThrow(/refused to unpack.*"\.\.\/escape\.txt".*climbs out/);
    expect(fs.existsSync(path.join(dir, 'escape.txt'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'cache', 'escape.txt'))).toBe(false);
  });

  it('a zip with an absolute path, and a zip bomb', async () => {
    const dir = tempDir('zip');
    const absolute = path.join(dir, 'absolute.zip');
    fs.writeFileSync(absolute, zipSync({ '/etc/cron.d/evil': new TextEncoder().encode('x') }));
    await expect(listZip(absolute)).rejects.toThrow(/absolute path/);
    const bomb = path.join(dir, 'bomb.zip');
    fs.writeFileSync(bomb, zipSync({ 'rdf.yaml': [new Uint8Array(64 * 2 ** 20), { level: 9 }] }));
    expect(fs.statSync(bomb).size).toBeLessThan(2 ** 20);
    await expect(listZip(bomb)).rejects.toThrow(/inflate .*-fold/);
    await expect(listZip(bomb, { maxTotalBytes: 2 ** 20, maxRatio: 1e9 })).rejects.toThrow(/more than/);
  });

  it('a description pointing at /etc/passwd', async () => {
    const dir = await variant('passwd', (doc) => {
      doc.inputs[0].test_tensor.source = '/etc/passwd';
      doc.weights.onnx.source = '../../../etc/passwd';
    });
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidModelError);
    expect(codes((error as InvalidModelError).findings)).toEqual(['unsafe-path', 'unsafe-path']);
  });

  it('a 10 GB declared tensor', async () => {
    const dir = await variant('huge', (doc) => {
      doc.inputs[0].axes[2].size = { min: 50_000, step: 16 };
      doc.inputs[0].axes[3].size = { min: 50_000, step: 16 };
    });
    const error = (await loadModel(dir).catch((e: unknown) => e)) as InvalidModelError;
    expect(codes(error.findings)).toContain('tensor-too-large');
    expect(error.message).toMatch(/9\.3 GiB/);
  });

  it('a wrong sha256', async () => {
    const dir = await variant('sha', (doc) => {
      doc.weights.onnx.sha256 = '0'.repeat(64);
    });
    const error = (await loadModel(dir).catch((e: unknown) => e)) as InvalidModelError;
    expect(codes(error.findings)).toEqual(['sha256-mismatch']);
    expect(error.findings[0].field ?? error.findings.find((f) => f.code === 'sha256-mismatch')!.field).toBeDefined();
  });

  it('ONNX inputs that contradict the declared axes', async () => {
    const dir = await variant('shape', (doc) => {
      doc.inputs[0].axes[1].channel_names = ['a', 'b'];
    });
    const error = (await loadModel(dir).catch((e: unknown) => e)) as InvalidModelError;
    expect(codes(error.findings)).toContain('onnx-shape-mismatch');
  });
});

describe('loading from a zip and over HTTP, with a sha256-keyed cache', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  it('unpacks a zip once and reuses it', async () => {
    const source = await demoModel();
    const dir = tempDir('zipload');
    const zip = path.join(dir, 'demo.zip');
    fs.writeFileSync(zip, zipSync(Object.fromEntries(fs.readdirSync(source).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(source, f)))]))));
    const cacheDir = path.join(dir, 'cache');
    const first = await loadModel(zip, { cacheDir });
    expect(first.package.packageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readdirSync(path.join(cacheDir, 'packages'))).toEqual([first.package.packageSha256]);
    const again = await loadModel(zip, { cacheDir });
    expect(again.package.descriptionPath).toBe(first.package.descriptionPath);
  });

  it('fetches a description and its files over http(s), weights cached by sha256', async () => {
    const source = await demoModel();
    const server = await serveFolder(source);
    servers.push(server);
    const cacheDir = path.join(tempDir('http'), 'cache');
    const { package: pkg, model } = await loadModel(`${server.url}/rdf.yaml`, { cacheDir });
    const weights = await pkg.localPath(model.onnx!.source, model.onnx!.sha256);
    expect(path.basename(weights)).toBe(model.onnx!.sha256);
    const fetched = server.requests.filter((r) => r === '/weights.onnx').length;
    await pkg.localPath(model.onnx!.source, model.onnx!.sha256);
    expect(server.requests.filter((r) => r === '/weights.onnx').length).toBe(fetched);
  });
});
