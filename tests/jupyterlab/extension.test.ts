// The extension in a real JupyterLab, installed from its wheel, in headless
// Chromium: it loads without console errors, fetches nothing from outside
// 127.0.0.1, and its sidebar opens and lists an OME-Zarr from the server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing, shared, hasSharedData } from '../helpers/reference.js';
import { labSession } from '../helpers/lab-session.js';
import { hasChromium } from './chromium.js';
import { hasJupyterLab, startJupyterLab } from './jupyterlab-server.js';
import { expectSidebarOpens } from './ngff-browser.js';

const skip = missing('JupyterLab in .venv with the built extension', hasJupyterLab) || missing('Debian chromium', hasChromium) || missing('../shared/data', hasSharedData);

describe.skipIf(skip)('jupyterlab-fairio in JupyterLab (headless Chromium)', () => {
  const lab = labSession(startJupyterLab);

  beforeAll(() => lab.open((server) => fs.cpSync(shared('samples', 'ome-zarr', 'v04-image-03-with-labels.zarr'), path.join(server.root, 'cells.zarr'), { recursive: true })), 180_000);

  afterAll(() => lab.close());

  it('is installed as a prebuilt extension with its server route', async () => {
    const response = await fetch(`${lab.server.url}lab/api/extensions`, { headers: { Authorization: `token ${lab.server.token}` } });
    const extensions = (await response.json()) as { name: string; enabled: boolean; status: string }[];
    expect(extensions.find((e) => e.name === 'jupyterlab-fairio')).toMatchObject({ enabled: true, status: 'ok' });
    const zattrs = await fetch(`${lab.server.url}fairio/stores/cells.zarr/.zattrs`, { headers: { Authorization: `token ${lab.server.token}` } });
    expect(zattrs.status).toBe(200);
    expect(await zattrs.json()).toHaveProperty('multiscales');
    // Logged out: refused.
    expect((await fetch(`${lab.server.url}fairio/stores/cells.zarr/.zattrs`, { redirect: 'manual' })).status).not.toBe(200);
  });

  it('loads without console errors and opens the sidebar', async () => {
    const { page, browser } = lab;
    await page.goto(lab.server.labUrl());
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 60_000 });
    await expectSidebarOpens(browser, 'cells.zarr');
  });
});
