// The extension under a real JupyterHub (configurable-http-proxy, DummyAuthenticator,
// SimpleLocalProcessSpawner, all on 127.0.0.1), in headless Chromium: a user logs in
// through the hub's login page, their server starts with jupyterlab-fairio, the NGFF
// browser opens a sample OME-Zarr from their home folder, and stopping the hub leaves
// no hub, proxy or single-user server running.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing, shared } from '../helpers/reference.js';
import { labSession } from '../helpers/lab-session.js';
import { hasChromium } from '../jupyterlab/chromium.js';
import { hasJupyterLab } from '../jupyterlab/jupyterlab-server.js';
import { expectSidebarOpens } from '../jupyterlab/ngff-browser.js';
import { hasJupyterHub, startJupyterHub } from './jupyterhub-server.js';

const skip =
  missing('JupyterHub and configurable-http-proxy', hasJupyterHub) ||
  missing('JupyterLab in .venv with the built extension', hasJupyterLab) ||
  missing('Debian chromium', hasChromium) ||
  missing('../shared/data', hasSharedData);

const user = 'biologist';

describe.skipIf(skip)('jupyterlab-fairio under JupyterHub (headless Chromium)', () => {
  const hub = labSession(() => startJupyterHub({ users: [user] }));

  beforeAll(() => hub.open((server) => fs.cpSync(shared('samples', 'ome-zarr', 'v04-image-03-with-labels.zarr'), path.join(server.home(user), 'cells.zarr'), { recursive: true })), 180_000);

  afterAll(() => hub.close());

  it('logs in through the hub and starts the user\'s server with the extension', async () => {
    const { page, browser } = hub;
    await page.goto(`${hub.server.url}hub/login`);
    await page.fill('#username_input', user);
    await page.fill('#password_input', hub.server.password);
    await Promise.all([page.waitForURL(new RegExp(`/user/${user}/lab`), { timeout: 180_000 }), page.click('#login_submit')]);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 90_000 });
    // The single-user server's own API, as JupyterLab calls it: the hub's login cookie plus the XSRF header.
    const xsrf = (await browser.context.cookies(`${hub.server.url}user/${user}/`)).find((c) => c.name === '_xsrf')?.value ?? '';
    const api = (route: string) =>
      page.evaluate(async ([url, token]) => {
        const response = await fetch(url, { headers: { 'X-XSRFToken': decodeURIComponent(token) } });
        return { status: response.status, body: response.ok ? ((await response.json()) as unknown) : undefined };
      }, [`/user/${user}/${route}`, xsrf] as const);
    const extensions = (await api('lab/api/extensions')).body as { name: string; enabled: boolean; status: string }[];
    expect(extensions.find((e) => e.name === 'jupyterlab-fairio')).toMatchObject({ enabled: true, status: 'ok' });
    const zattrs = await api('fairio/stores/cells.zarr/.zattrs');
    expect(zattrs.status).toBe(200);
    expect(zattrs.body).toHaveProperty('multiscales');
    // Without the hub's login: refused.
    expect((await fetch(`${hub.server.url}user/${user}/fairio/stores/cells.zarr/.zattrs`, { redirect: 'manual' })).status).not.toBe(200);
  }, 300_000);

  it('opens the NGFF browser sidebar on a sample store', async () => {
    await expectSidebarOpens(hub.browser, 'cells.zarr');
  });

  it('stops the hub, the proxy and the user\'s server', async () => {
    const running = hub.server.processes().map((p) => p.command).join('\n');
    expect(running).toMatch(/jupyterhub -f/);
    expect(running).toMatch(/configurable-http-proxy/);
    expect(running).toMatch(/jupyterhub-singleuser/);
    await hub.close();
    expect(hub.server.processes()).toEqual([]);
    await expect(fetch(hub.server.url)).rejects.toThrow();
  }, 60_000);
});
