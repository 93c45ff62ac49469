// The reproducibility recorder in a real JupyterLab (from the wheel) in
// headless Chromium: a notebook session recorded from the command palette,
// three cells run (one runs the fairio CLI, one fails), code sent to the
// kernel by another client, the page reloaded in the middle, the session
// exported; roc-validator accepts the exported crate and it holds every cell
// run, the kernel's packages and the fairio run, linked to the crate that run
// wrote.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missing, projectRoot, shared, hasSharedData } from '../helpers/reference.js';
import { describeIssues, hasRocValidator, rocValidate } from '../helpers/rocrate.js';
import { labSession } from '../helpers/lab-session.js';
import { hasChromium } from './chromium.js';
import { hasJupyterLab, startJupyterLab } from './jupyterlab-server.js';
import { exportSession, palette } from './palette.js';

const fairio = path.join(projectRoot, 'cli', 'dist', 'bin.js');
const skip =
  missing('JupyterLab in .venv with the built extension', hasJupyterLab) ||
  missing('Debian chromium', hasChromium) ||
  missing('roc-validator (pip roc-validator)', hasRocValidator) ||
  missing('../shared/data', hasSharedData) ||
  missing('the built fairio CLI (npx tsc -b)', fs.existsSync(fairio));

const code = (lines: string[]) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: lines.join('\n') });
const NOTEBOOK = {
  cells: [
    { ...code(["print('hello from the recorder test')"]), id: 'cell-hello' },
    {
      ...code([
        'import os, subprocess',
        "os.makedirs('out', exist_ok=True)",
        `r = subprocess.run(['node', ${JSON.stringify(fairio)}, 'convert', 'cells.tif', 'out/cells.ome.zarr'], capture_output=True, text=True)`,
        'print(r.returncode, r.stderr[-300:])',
      ]),
      id: 'cell-fairio',
    },
    { ...code(['1 / 0']), id: 'cell-fails' },
  ],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
};

/** Run the notebook cell at `index` (click it, Shift+Enter). */
async function runCell(page: Page, index: number): Promise<void> {
  await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').nth(index).locator('.jp-InputPrompt').click();
  await page.keyboard.press('Shift+Enter');
}

const status = (page: Page) => page.locator('.jp-FairioRecorder-status');

describe.skipIf(skip)('the recorder in JupyterLab (headless Chromium)', () => {
  const lab = labSession(startJupyterLab);
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    await lab.open(({ root }) => {
      fs.writeFileSync(path.join(root, 'analysis.ipynb'), JSON.stringify(NOTEBOOK, null, 1));
      fs.copyFileSync(shared('samples', 'tiff', 'res.ome.tiff'), path.join(root, 'cells.tif'));
    });
    timings.start = Date.now() - t0;
  }, 240_000);

  afterAll(async () => {
    console.log(`recorder test timings (ms): ${JSON.stringify(timings)}`);
    await lab.close();
  });

  it('records a session across a reload and exports a crate roc-validator accepts', async () => {
    const { page, browser, server } = lab;
    let t = Date.now();
    await page.goto(`${server.url}lab/workspaces/recorder/tree/analysis.ipynb?reset&token=${server.token}`);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 60_000 });
    await page.locator('.jp-NotebookPanel .jp-Cell').nth(2).waitFor({ timeout: 60_000 });
    await palette(page, 'Start recording this notebook session');
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toContain('Recording');
    timings.open = Date.now() - t;

    t = Date.now();
    await runCell(page, 0);
    await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toContain('1 cell run');
    await runCell(page, 1);
    await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toContain('2 cell runs');
    await expect.poll(() => page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea-output').textContent(), { timeout: 60_000 }).toMatch(/^0 /);
    expect(fs.existsSync(path.join(server.root, 'out', 'ro-crate-metadata.json'))).toBe(true);
    timings.twoCells = Date.now() - t;

    // A reload in the middle: the recording resumes from what the page stored.
    t = Date.now();
    await page.reload();
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 60_000 });
    await page.locator('.jp-NotebookPanel .jp-Cell').nth(2).waitFor({ timeout: 60_000 });
    await expect.poll(() => status(page).textContent(), { timeout: 30_000 }).toContain('Recording · 2 cell runs');
    timings.reload = Date.now() - t;

    // Code sent to the same kernel by another client (its own websocket, not this notebook's connection).
    t = Date.now();
    const sessions = (await (await fetch(`${server.url}api/sessions`, { headers: { Authorization: `token ${server.token}` } })).json()) as { kernel: { id: string } }[];
    await page.evaluate(
      async ({ url, token, kernel }) => {
        const ws = new WebSocket(`${url.replace(/^http/, 'ws')}api/kernels/${kernel}/channels?token=${token}`);
        await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
        const header = { msg_id: `other-client-${Date.now()}`, msg_type: 'execute_request', username: 'test', session: 'other-client', date: new Date().toISOString(), version: '5.3' };
        const replied = new Promise<void>((resolve) => (ws.onmessage = (event) => JSON.parse(String(event.data)).header?.msg_type === 'execute_reply' && resolve()));
        ws.send(JSON.stringify({ channel: 'shell', header, parent_header: {}, metadata: {}, content: { code: "print('from another client')", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, buffers: [] }));
        await replied;
        ws.close();
      },
      { url: server.url, token: server.token, kernel: sessions[0].kernel.id },
    );
    await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toContain('3 cell runs');
    timings.otherClient = Date.now() - t;

    t = Date.now();
    await runCell(page, 2);
    await expect.poll(() => status(page).textContent(), { timeout: 60_000 }).toContain('4 cell runs');
    const exported = () => fs.readdirSync(server.root).find((f) => /^analysis\.session-\d{8}-\d{6}\.crate$/.test(f));
    await exportSession(page, exported);
    for (const deadline = Date.now() + 180_000; !exported(); ) {
      const dialog = await page.locator('.jp-Dialog').textContent({ timeout: 100 }).catch(() => null);
      if (dialog || Date.now() > deadline) throw new Error(`no crate was exported (${fs.readdirSync(server.root).join(', ')}): ${dialog ?? 'no message'}\n${browser.errors.join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const crateName = exported()!;
    timings.runAndExport = Date.now() - t;
    const crate = path.join(server.root, crateName);

    const metadata = JSON.parse(fs.readFileSync(path.join(crate, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] };
    const graph = metadata['@graph'];
    const byId = new Map(graph.map((e) => [e['@id'] as string, e]));
    const cells = graph.filter((e) => e['@type'] === 'CreateAction' && /^In \[\d+\], cell \d/.test(String(e.name)));
    expect(cells.map((c) => [String(c.name).replace(/ \(step.*/, ''), String(c.actionStatus).replace('http://schema.org/', '')])).toEqual([
      ['In [1], cell 1', 'CompletedActionStatus'],
      ['In [2], cell 2', 'CompletedActionStatus'],
      ['In [4], cell 3', 'FailedActionStatus'],
    ]);
    expect(cells[2].error).toBe('ZeroDivisionError: division by zero');
    const other = graph.filter((e) => e['@type'] === 'CreateAction' && /^In \[3\], sent by another client/.test(String(e.name)));
    expect(other.map((e) => e.actionStatus)).toEqual(['http://schema.org/CompletedActionStatus']);
    // The fairio run, from the crate it wrote, inside cell 2.
    const convert = graph.find((e) => e['@type'] === 'CreateAction' && (e.subjectOf as { '@id'?: string } | undefined)?.['@id'] === 'fairio-runs/out/ro-crate-metadata.json')!;
    expect(convert).toBeDefined();
    const image = (Array.isArray(convert.result) ? convert.result : [convert.result]) as { '@id': string }[];
    expect(byId.get(image[0]['@id'])).toMatchObject({ '@type': 'Dataset', name: 'out/cells.ome.zarr' });
    expect(cells[1].result).toContainEqual({ '@id': image[0]['@id'] });
    // The environment: JupyterLab, this extension, the kernel and its packages.
    const software = new Map(graph.filter((e) => e['@type'] === 'SoftwareApplication').map((e) => [String(e.name), e.softwareVersion]));
    expect(software.get('JupyterLab')).toMatch(/^4\./);
    expect(software.get('jupyterlab-fairio')).toBe('0.1.0');
    expect(software.get('Jupyter kernel Python 3 (ipykernel)')).toBeDefined();
    expect(software.get('ipykernel')).toMatch(/^\d/);
    // The notebook copy is the saved notebook, byte for byte.
    const copy = fs.readFileSync(path.join(crate, 'analysis.ipynb'));
    expect(copy.equals(fs.readFileSync(path.join(server.root, 'analysis.ipynb')))).toBe(true);
    expect(byId.get('analysis.ipynb')!.sha256).toBe(createHash('sha256').update(copy).digest('hex'));

    t = Date.now();
    const results = await rocValidate(['ro-crate-1.1', 'workflow-run-crate-0.5', 'provenance-run-crate-0.5'].map((p) => [crate, p, 'REQUIRED']));
    timings.validate = Date.now() - t;
    for (const r of results) {
      expect(r.passed, `${r.profile}:\n${describeIssues(r)}`).toBe(true);
      expect(r.refused).toEqual([]);
    }
    expect(browser.errors).toEqual([]);
    expect(browser.external).toEqual([]);
  }, 400_000);
});
