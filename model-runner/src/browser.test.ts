// @fairio/model-runner/browser: it bundles for the web with no Node built-ins
// (esbuild resolves the built package as the JupyterLab extension's bundler
// does), and a package read through it (folder files or an in-memory zip) gives
// the same model and findings as the command line's loadModel, sha256 included.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../tests/helpers/browser-bundle.js';
import { demoModel, tempDir, UNET_DIR } from './bioimageio/__fixtures__/helpers.js';
import { loadModel } from './bioimageio/spec/validate.js';
import { InvalidModelError, openBrowserModel, zipSource, type PackageSource } from './browser.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'browser.js');

function folderSource(dir: string, description?: string): PackageSource {
  return {
    location: dir,
    description,
    list: async () => fs.readdirSync(dir),
    read: async (name) => (fs.existsSync(path.join(dir, name)) ? new Uint8Array(fs.readFileSync(path.join(dir, name))) : undefined),
  };
}

describe.skipIf(!fs.existsSync(dist))('@fairio/model-runner/browser (built; run tsc -b first)', () => {
  it('bundles for the browser without Node built-ins', async () => {
    const code = await bundleForBrowser("export * from '@fairio/model-runner/browser';", path.dirname(dist));
    expect(code).not.toMatch(/["']node:|require\(["'](fs|path|module|crypto|os)["']\)|onnxruntime-node/);
    expect(code).toContain('is not a valid bioimage.io model');
  });
});

describe('a model package read in the browser way', () => {
  it('gives the same model as loadModel (demo folder and zip, the shared U-Net 0.5 and 0.4)', async () => {
    const demo = await demoModel();
    const cli = await loadModel(demo);
    const fromFolder = await openBrowserModel(folderSource(demo));
    expect(fromFolder.model).toEqual(cli.model);
    expect(fromFolder.descriptionSha256).toBe(cli.package.descriptionSha256);
    expect(fromFolder.weightsSha256).toBe(cli.model.onnx!.sha256);
    const zip = zipSync(Object.fromEntries(fs.readdirSync(demo).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(demo, f)))])));
    const fromZip = await openBrowserModel(await zipSource('demo.zip', zip));
    expect(fromZip.model).toEqual(cli.model);
    expect(fromZip.packageSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const description of ['bioimageio.yaml', 'v0_4_9.bioimageio.yaml']) {
      const unet = await openBrowserModel(folderSource(UNET_DIR, description));
      expect(unet.model).toEqual((await loadModel(path.join(UNET_DIR, description))).model);
    }
  });

  it('refuses a wrong sha256, missing weights, something that is not a model and an unsafe zip, naming the problem', async () => {
    const demo = await demoModel();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed YAML document edited in place
    const variant = (edit: (doc: Record<string, any>) => void, drop?: string) => {
      const dir = tempDir('browser-variant');
      fs.cpSync(demo, dir, { recursive: true });
      const file = path.join(dir, 'rdf.yaml');
      const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
      edit(doc);
      fs.writeFileSync(file, YAML.stringify(doc));
      if (drop) fs.rmSync(path.join(dir, drop));
      return dir;
    };
    const sha = await openBrowserModel(folderSource(variant((d) => (d.weights.onnx.sha256 = '0'.repeat(64))))).catch((e: unknown) => e);
    expect(sha).toBeInstanceOf(InvalidModelError);
    expect((sha as Error).message).toMatch(/has sha256 [0-9a-f]{64}, but the description says 0{64}/);
    const cli = await loadModel(demo);
    const missing = await openBrowserModel(folderSource(variant(() => {}, cli.model.onnx!.source))).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/ONNX weights .* are not in the package/);
    const notModel = await openBrowserModel(folderSource(variant((d) => (d.type = 'dataset')))).catch((e: unknown) => e);
    expect((notModel as Error).message).toMatch(/of type "dataset", not "model"/);
    const empty = await openBrowserModel(folderSource(tempDir('browser-empty'))).catch((e: unknown) => e);
    expect((empty as Error).message).toMatch(/has no model description/);
    const evil = zipSync({ '../evil.txt': new Uint8Array([1]) });
    await expect(zipSource('evil.zip', evil)).rejects.toThrow(/climbs out of the model package/);
    await expect(zipSource('junk.zip', new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/not a readable zip/);
  });
});
