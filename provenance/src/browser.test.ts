// The browser entry must bundle for the web with no Node built-ins: esbuild
// bundles the built package as the JupyterLab extension's bundler sees it and
// fails on any Node built-in it is asked to resolve for the browser. The
// bundle then builds a session crate in a plain JavaScript context.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../tests/helpers/browser-bundle.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'browser.js');

describe.skipIf(!fs.existsSync(dist))('@fairio/provenance/browser (built; run tsc -b first)', () => {
  it('bundles for the browser without Node built-ins, and exports a session crate there', async () => {
    const code = await bundleForBrowser(`import { newSessionRecord, sessionCrate } from '@fairio/provenance/browser';
          const record = newSessionRecord({ id: 'b1', notebook: 'a.ipynb', startTime: new Date('2026-01-01T00:00:00Z'), environment: { jupyterlab: { version: '4.2.5' }, extensions: [] } });
          record.kernels.push({ id: 'k', name: 'python3', language: { name: 'python' } });
          record.executions.push({ id: 'm', code: 'x = 1', kernel: 'k', startTime: '2026-01-01T00:00:01Z', endTime: '2026-01-01T00:00:02Z', status: 'ok', outputs: [], origin: 'notebook' });
          globalThis.files = sessionCrate(record, { notebook: new Uint8Array([123, 125]), exportTime: new Date('2026-01-01T00:01:00Z') }).files.map((f) => f.path);`, path.dirname(dist), 'iife');
    expect(code).not.toMatch(/["']node:|require\(["'](fs|path|module|crypto)["']\)/);
    // Only what a browser has: no process, no require, no Buffer.
    const context = vm.createContext({ TextEncoder, structuredClone, atob, console, crypto: globalThis.crypto });
    vm.runInContext(code, context);
    expect(context.files).toEqual(['a.ipynb', 'ro-crate-metadata.json']);
  });
});
