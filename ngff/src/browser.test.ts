// The browser entry must bundle for the web with no Node built-ins. esbuild
// bundles the built package the way the JupyterLab extension's bundlers see it
// (its `exports` and the `browser` field that swaps in the *.browser.js twins)
// and fails on any Node built-in it is asked to resolve for the browser.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../tests/helpers/browser-bundle.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'browser.js');

describe.skipIf(!fs.existsSync(dist))('@fairio/ngff/browser (built; run tsc -b first)', () => {
  it('bundles for the browser without Node built-ins', async () => {
    const code = await bundleForBrowser("export * from '@fairio/ngff/browser';", path.dirname(dist));
    expect(code).not.toMatch(/["']node:|require\(["'](fs|path|module)["']\)/);
    expect(code).toContain('only http(s) URLs can be opened in a browser');
  });
});
