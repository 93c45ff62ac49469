/** Shared by the bioimage.io tests: paths of the shared model and a demo package built once per process. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageDemoModel } from '../package/package-model.js';

export const UNET_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', '..', '..', 'shared', 'data', 'bioimageio', 'models', 'unet2d_nuclei_broad');

let demo: Promise<string> | undefined;
/** A freshly packaged demo model folder (built once per test process). */
export function demoModel(): Promise<string> {
  demo ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-demo-'));
    const out = path.join(dir, 'nuclei-demo');
    await packageDemoModel(out);
    return out;
  })();
  return demo;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `fairio-${prefix}-`));
}
