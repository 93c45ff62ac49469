// Analysis from the NGFF viewer in a real JupyterLab (from the wheel) in
// headless Chromium: a recorder session is started, the fairio demo model
// (`fairio model package --demo`) runs from the viewer's Analyse panel on the
// visible region of a fairio NGFF 0.5 image, in ONNX Runtime Web's WebAssembly
// inside a worker; the overlay is drawn over the image; the run's folder
// (OME-Zarr result + Process Run Crate) is written next to the image and
// agrees with bioimageio.core (Python) on the same region; roc-validator
// accepts the crate; the shared U-Net runs on the whole plane from the command
// palette; a run is cancelled; bad models give a clear message in the panel;
// the settings editor changes the overlay's colormap; the exported session
// crate holds the viewer's runs; nothing is fetched from outside, nothing
// is thrown on the console.
//
// FAIRIO_DOCS_SCREENSHOTS=1 also writes docs/jupyterlab-analysis.png.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { zipSync } from 'fflate';
import { arraySource, openOmeZarr, writeImage } from '@fairio/ngff';
import { hasPython, hasSharedData, missing, projectRoot, shared, venvPython } from '../helpers/reference.js';
import { describeIssues, hasRocValidator, rocValidate } from '../helpers/rocrate.js';
import { labSession } from '../helpers/lab-session.js';
import { hasChromium } from './chromium.js';
import { hasJupyterLab, startJupyterLab, type JupyterLab } from './jupyterlab-server.js';
import { exportSession, palette } from './palette.js';
import { command, VIEWER, waitComplete } from './viewer-session.js';

const run = promisify(execFile);
const fairio = path.join(projectRoot, 'cli', 'dist', 'bin.js');
const skip =
  missing('JupyterLab in .venv with the built extension', hasJupyterLab) ||
  missing('Debian chromium', hasChromium) ||
  missing('roc-validator (pip roc-validator)', hasRocValidator) ||
  missing('../shared/data', hasSharedData) ||
  missing('.venv', hasPython) ||
  missing('the built fairio CLI (npx tsc -b)', fs.existsSync(fairio));
const docs = process.env.FAIRIO_DOCS_SCREENSHOTS === '1';
const referenceScript = path.join(path.dirname(new URL(import.meta.url).pathname), 'analysis_reference.py');

const NOTEBOOK = {
  cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: "print('analysis session')", id: 'cell-1' }],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
};

const PANEL = `${VIEWER} .jp-FairioAnalysis`;

/** Runs the Analyse panel has started. The viewer's tab is brought to the front first (on a loaded machine a late
 * notebook or kernel event can activate another tab of the main area), and the panel waited for. */
const runsStarted = async (page: Page) => {
  if ((await page.locator(PANEL).count()) === 0) {
    const tab = page.locator('.lm-TabBar-tab', { hasText: 'nuclei.ome.zarr' }).first();
    if (await tab.count()) await tab.click();
  }
  try {
    await page.locator(PANEL).waitFor({ state: 'attached', timeout: 30_000 });
  } catch (e) {
    const viewers = await page.evaluate(() => [...document.querySelectorAll('.jp-FairioViewer')].map((n) => `${n.className} state=${(n as HTMLElement).dataset.state} panel=${n.querySelector('.jp-FairioAnalysis') ? 1 : 0}`));
    throw new Error(`${(e as Error).message}\nviewers: ${viewers.join('; ') || 'none'}`);
  }
  return page.$eval(PANEL, (node) => Number((node as HTMLElement).dataset.runs ?? 0));
};

/** Wait for run number `n` to start, then for it to settle (done, failed or cancelled); its message and folder. */
async function settled(page: Page, n: number, timeout = 180_000): Promise<{ state: string; message: string; folder: string }> {
  const handle = await page.waitForFunction(
    ([selector, n]) => {
      const node = document.querySelector(selector as string) as HTMLElement | null;
      const state = node?.dataset.state;
      if (Number(node?.dataset.runs ?? 0) < (n as number) || (state !== 'done' && state !== 'failed' && state !== 'cancelled')) return false;
      return { state, message: node!.querySelector('.jp-FairioAnalysis-message')?.textContent ?? '', folder: node!.dataset.folder ?? '' };
    },
    [PANEL, n] as const,
    { timeout, polling: 250 },
  );
  return (await handle.jsonValue()) as { state: string; message: string; folder: string };
}

/** Fill the Analyse panel and click Run; the run's number (for `settled`). */
async function startRun(page: Page, model: string, scope: 'visible' | 'image', channel: string): Promise<number> {
  const n = (await runsStarted(page)) + 1;
  await page.locator(`${PANEL} .jp-FairioAnalysis-path`).fill(model);
  await page.locator(`${PANEL} .jp-FairioAnalysis-scope`).selectOption(scope);
  await page.locator(`${PANEL} .jp-FairioAnalysis-channel`).selectOption(channel);
  await page.locator(`${PANEL} .jp-FairioAnalysis-run`).click();
  return n;
}

/** Compare a run's OME-Zarr result with a reference prediction of the same region (analysis_reference.py). */
async function reference(lab: JupyterLab, folder: string, model: string, ...options: string[]) {
  const { stdout } = await run(venvPython, [referenceScript, path.join(lab.root, 'nuclei.ome.zarr'), path.join(lab.root, folder), path.join(lab.root, model), ...options], { timeout: 300_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { shape: number[]; region: number[]; max_abs_diff: number; failing: number; reference: string; translation: number[] };
}

describe.skipIf(skip)('analysis from the NGFF viewer in JupyterLab (headless Chromium, against bioimageio.core)', () => {
  const lab = labSession(startJupyterLab);
  const timings: Record<string, number> = {};
  const runs: string[] = [];

  beforeAll(async () => {
    const t0 = Date.now();
    await lab.open(async ({ root }) => {
      const work = path.join(path.dirname(root), 'work');
      fs.mkdirSync(work);
      const cli = (...args: string[]) => run(process.execPath, [fairio, ...args], { cwd: work, timeout: 180_000 });
      await cli('sample', 'sample.ome.tiff', '--size', '512', '--depth', '2', '-q');
      await cli('convert', 'sample.ome.tiff', path.join(root, 'nuclei.ome.zarr'), '--ngff', '0.5', '--chunks', '1,1,256,256', '--no-crate', '-q');
      await cli('model', 'package', '--demo', '-o', path.join(root, 'nuclei-demo'));
      fs.cpSync(shared('bioimageio', 'models', 'unet2d_nuclei_broad'), path.join(root, 'unet2d_nuclei_broad'), { recursive: true });
      for (const f of fs.readdirSync(path.join(root, 'unet2d_nuclei_broad'))) fs.chmodSync(path.join(root, 'unet2d_nuclei_broad', f), 0o644);
      // Bad input: weights that are not what the description's sha256 says; a folder that holds no model.
      fs.cpSync(path.join(root, 'nuclei-demo'), path.join(root, 'tampered-model'), { recursive: true });
      const onnx = fs.readdirSync(path.join(root, 'tampered-model')).find((f) => f.endsWith('.onnx'))!;
      const weights = fs.readFileSync(path.join(root, 'tampered-model', onnx));
      weights[weights.length - 1] ^= 0xff;
      fs.writeFileSync(path.join(root, 'tampered-model', onnx), weights);
      // Axes that do not fit the image: the demo's y axis renamed (a valid model, but the image has no "row").
      fs.cpSync(path.join(root, 'nuclei-demo'), path.join(root, 'odd-axes-model'), { recursive: true });
      const rdf = path.join(root, 'odd-axes-model', 'rdf.yaml');
      fs.writeFileSync(rdf, fs.readFileSync(rdf, 'utf8').replace(/\b(id|axis_id): y$/gm, '$1: row'));
      fs.mkdirSync(path.join(root, 'not-a-model'));
      fs.writeFileSync(path.join(root, 'not-a-model', 'notes.txt'), 'nothing here');
      // The demo model as a .zip (as the model zoo hands packages out).
      const demoFiles = fs.readdirSync(path.join(root, 'nuclei-demo'));
      fs.writeFileSync(path.join(root, 'nuclei-demo.zip'), zipSync(Object.fromEntries(demoFiles.map((f) => [f, new Uint8Array(fs.readFileSync(path.join(root, 'nuclei-demo', f)))]))));
      fs.writeFileSync(path.join(root, 'session.ipynb'), JSON.stringify(NOTEBOOK, null, 1));
    });
    timings.setup = Date.now() - t0;
  }, 300_000);

  afterAll(async () => {
    console.log(`analysis test timings (ms): ${JSON.stringify(timings)}`);
    await lab.close();
  });

  /** A whole-plane run's result against bioimageio.core's blocked prediction (`block`: its block size, one the model takes), timed as `timing`. */
  const wholePlaneAgainstCore = async (name: string, folder: string, model: string, block: number, timing: string) => {
    const t = Date.now();
    const core = await reference(lab.server, folder, model, '--block', String(block));
    timings[timing] = Date.now() - t;
    console.log(`${name}, whole 512² plane: max |viewer − ${core.reference}| ${core.max_abs_diff.toExponential(2)}, ${core.failing} failing`);
    expect(core.shape).toEqual([1, 512, 512]);
    return core;
  };

  it('runs the demo model on the visible region: overlay, OME-Zarr + crate next to the image, as bioimageio.core predicts', async () => {
    const { page, server } = lab;
    let t = Date.now();
    await page.goto(`${server.url}lab/workspaces/analysis/tree/session.ipynb?reset&token=${server.token}`);
    await page.waitForSelector('#jupyterlab-splash', { state: 'detached', timeout: 90_000 });
    await page.locator('.jp-NotebookPanel .jp-Cell').first().waitFor({ timeout: 60_000 });
    await palette(page, 'Start recording this notebook session');
    await expect.poll(() => page.locator('.jp-FairioRecorder-status').textContent(), { timeout: 30_000 }).toContain('Recording');
    await command(page, 'fairio:ngff-open', { location: 'nuclei.ome.zarr' });
    await page.locator(VIEWER).waitFor({ timeout: 30_000 });
    expect(await waitComplete(page)).toBe('complete');
    // Zoomed in: the visible region is part of the image, away from its edges on two sides.
    await command(page, 'fairio:ngff-set-view', { centerX: 300, centerY: 260, zoom: 3 });
    expect(await waitComplete(page)).toBe('complete');
    timings.open = Date.now() - t;

    t = Date.now();
    const demo = await settled(page, await startRun(page, 'nuclei-demo', 'visible', '0'));
    timings.demoVisible = Date.now() - t;
    expect(demo.state, demo.message).toBe('done');
    expect(demo.folder).toMatch(/^nuclei\.ome\.zarr\.analysis-\d{8}-\d{6}$/);
    runs.push(demo.folder);
    expect(await page.locator(PANEL).getAttribute('data-progress')).toMatch(/^\d+\/\d+$/);
    expect(await page.locator(VIEWER).getAttribute('data-overlay')).toBe('shown');
    if (docs) {
      // Zoomed out a little, so the analysed region shows as a rectangle over the image.
      await command(page, 'fairio:ngff-set-view', { centerX: 300, centerY: 260, zoom: 1.8 });
      await waitComplete(page);
      await page.locator(VIEWER).screenshot({ path: path.join(projectRoot, 'docs', 'jupyterlab-analysis.png') });
    }
    const folder = path.join(server.root, demo.folder);
    expect(fs.existsSync(`${folder}.partial`)).toBe(false);
    expect(fs.readdirSync(folder).sort()).toEqual(['prediction.ome.zarr', 'ro-crate-metadata.json']);

    // The visible region (not the whole image) against fairio predict (onnxruntime-node) on that region.
    t = Date.now();
    const visible = await reference(server, demo.folder, 'nuclei-demo', '--cli', fairio);
    timings.demoVisibleReference = Date.now() - t;
    console.log(`demo model, visible region [x, y, w, h] = [${visible.region.join(', ')}]: max |viewer − ${visible.reference}| ${visible.max_abs_diff.toExponential(2)}, ${visible.failing} failing`);
    expect(visible.region[2]).toBeLessThan(512);
    expect(visible.region[3]).toBeLessThan(512);
    expect(visible.shape).toEqual([1, visible.region[3], visible.region[2]]);
    expect(visible.translation).toEqual([0, visible.region[1] * 0.325, visible.region[0] * 0.325]);
    expect(visible.failing).toBe(0);

    // The whole plane against bioimageio.core (its blocked prediction needs a size the model takes: 512²).
    t = Date.now();
    const whole = await settled(page, await startRun(page, 'nuclei-demo', 'image', '0'));
    timings.demoWhole = Date.now() - t;
    expect(whole.state, whole.message).toBe('done');
    runs.push(whole.folder);
    const core = await wholePlaneAgainstCore('demo model', whole.folder, 'nuclei-demo', 256, 'demoWholeReference');
    expect(core.failing).toBe(0);

    t = Date.now();
    const [validation] = await rocValidate([[folder, 'process-run-crate-0.5', 'REQUIRED']]);
    timings.validate = Date.now() - t;
    expect(validation.passed, describeIssues(validation)).toBe(true);
    const graph = (JSON.parse(fs.readFileSync(path.join(folder, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] })['@graph'];
    const software = graph.filter((e) => e['@type'] === 'SoftwareApplication').map((e) => `${String(e.name)} ${String(e.softwareVersion)}`);
    expect(software).toContain('ONNX Runtime Web 1.30.0');
    const tool = graph.find((e) => e['@type'] === 'File' && e.name === 'fairio nuclei demo');
    const onnx = fs.readdirSync(path.join(server.root, 'nuclei-demo')).find((f) => f.endsWith('.onnx'))!;
    expect(tool?.sha256).toBe(createHash('sha256').update(fs.readFileSync(path.join(server.root, 'nuclei-demo', onnx))).digest('hex'));
  }, 400_000);

  it('cancels a run, then runs the shared U-Net on the whole plane from the command palette', async () => {
    const { page } = lab;
    const cancelledRun = await startRun(page, 'unet2d_nuclei_broad/bioimageio.yaml', 'image', '0');
    await page.waitForFunction((selector) => ['preparing', 'running'].includes((document.querySelector(selector) as HTMLElement).dataset.state ?? ''), PANEL, { timeout: 30_000 });
    await palette(page, 'Cancel the running analysis');
    expect((await settled(page, cancelledRun, 60_000)).state).toBe('cancelled');

    const t = Date.now();
    const n = (await runsStarted(page)) + 1;
    await palette(page, 'Analyse the whole image plane');
    const unet = await settled(page, n, 300_000);
    timings.unetWhole = Date.now() - t;
    expect(unet.state, unet.message).toBe('done');
    runs.push(unet.folder);
    const core = await wholePlaneAgainstCore('U-Net', unet.folder, 'unet2d_nuclei_broad/bioimageio.yaml', 512, 'unetReference');
    // The model's own test rule (bioimage.io's default: at most 100 elements per million outside the tolerance): the
    // U-Net sees further than its declared halo of 32, so fairio's tiles and core's blocks differ by a few pixels at their seams.
    expect(core.failing).toBeLessThanOrEqual(Math.floor((512 * 512 * 100) / 1e6));
  }, 600_000);

  it('applies a pixel classifier trained by the CLI to the visible region: the CLI\'s classes, in the classifier\'s colours, its file in the crate', async () => {
    const { page, server } = lab;
    let t = Date.now();
    // Train with the command line on the sample: sparse labels from DAPI's brightness, every other pixel line; the sample has
    // 2 z planes, so features are filtered plane by plane (--in2d), as the viewer's one plane needs. Then predict the whole image.
    const work = path.join(path.dirname(server.root), 'work');
    const nuclei = path.join(server.root, 'nuclei.ome.zarr');
    const dapi = (await (await (await openOmeZarr(nuclei)).image()).readRegion({ select: { c: 0 } })).data;
    const scribbles = new Uint8Array(dapi.length);
    for (let i = 0; i < scribbles.length; i += 29) scribbles[i] = Number(dapi[i]) < 400 ? 1 : Number(dapi[i]) > 1500 ? 2 : 0;
    await writeImage(path.join(work, 'scribbles.ome.zarr'), arraySource(scribbles, [2, 512, 512], 'uint8'), { axes: ['z', 'y', 'x'].map((name) => ({ name, type: 'space' as const })), imageLabel: {}, workers: 0 });
    const classifierFile = path.join(server.root, 'nuclei.fairio-rf');
    const cli = (...args: string[]) => run(process.execPath, [fairio, ...args], { cwd: work, timeout: 180_000 });
    await cli('classify', 'train', '--image', nuclei, '--labels', path.join(work, 'scribbles.ome.zarr'), '-o', classifierFile, '--in2d', '--features', 'gs,ggm,hoge@1.6', '--trees', '30', '--class-names', 'background,nucleus');
    await cli('classify', 'predict', '--classifier', classifierFile, nuclei, path.join(work, 'cli-classes.ome.zarr'));
    timings.classifierCli = Date.now() - t;

    // In the viewer, zoomed in away from the image's edges (the region is read with the filters' halo of 38 pixels).
    t = Date.now();
    await command(page, 'fairio:ngff-set-view', { centerX: 230.5, centerY: 290.5, zoom: 3, z: 1 });
    expect(await waitComplete(page)).toBe('complete');
    await page.locator(`${PANEL} .jp-FairioAnalysis-kind`).selectOption('pixel-classifier');
    const outcome = await settled(page, await startRun(page, 'nuclei.fairio-rf', 'visible', ''));
    timings.classifierRun = Date.now() - t;
    expect(outcome.state, outcome.message).toBe('done');
    runs.push(outcome.folder);
    const classifierSha256 = createHash('sha256').update(fs.readFileSync(classifierFile)).digest('hex');
    /** The run's crate names the classifier file and its sha256, and its classes are the CLI's on its region, pixel for pixel. */
    const check = async (runFolder: string, scope: 'visible' | 'image' = 'visible') => {
      const folder = path.join(server.root, runFolder);
      expect(fs.readdirSync(folder).sort()).toEqual(['labels.ome.zarr', 'ro-crate-metadata.json']);
      const graph = (JSON.parse(fs.readFileSync(path.join(folder, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] })['@graph'];
      const param = (name: string) => Number(graph.find((e) => e['@type'] === 'PropertyValue' && e.name === name)?.value);
      const [x, y, width, height, z] = ['regionX', 'regionY', 'regionWidth', 'regionHeight', 'z'].map(param);
      expect(z).toBe(1);
      if (scope === 'visible') expect([x > 38, y > 38, x + width < 512 - 38, y + height < 512 - 38]).toEqual([true, true, true, true]);
      else expect([x, y, width, height]).toEqual([0, 0, 512, 512]);
      const tool = graph.find((e) => e['@type'] === 'File' && e.name === 'nuclei.fairio-rf');
      expect(tool?.sha256).toBe(classifierSha256);
      expect(String(tool?.description)).toContain('nuclei.fairio-rf');
      const ours = await (await (await openOmeZarr(path.join(folder, 'labels.ome.zarr'))).image()).readRegion();
      expect(ours.shape).toEqual([1, height, width]);
      const theirs = await (await (await openOmeZarr(path.join(work, 'cli-classes.ome.zarr'))).image()).readRegion({ select: { z, y: [y, y + height], x: [x, x + width] } });
      let differ = 0;
      for (let i = 0; i < theirs.data.length; i++) if (Number(ours.data[i]) !== Number(theirs.data[i])) differ++;
      const counts = [1, 2].map((k) => Array.from(theirs.data as Uint8Array).filter((v) => v === k).length);
      console.log(`pixel classifier, visible region ${width}×${height} at (${x}, ${y}), z ${z}: ${differ} pixels differ from fairio classify predict; classes ${counts.join(' / ')}`);
      expect(differ).toBe(0);
      expect(Math.min(...counts)).toBeGreaterThan(0);
      return { x, y, width, height, labels: theirs.data as Uint8Array };
    };
    const { x, y, width, height, labels } = await check(outcome.folder);

    // The overlay, at full opacity, shows each pixel in its class's colour (the file's: Label 1 red, Label 2 green).
    expect(await page.locator(VIEWER).getAttribute('data-overlay')).toBe('shown');
    await page.$eval(`${PANEL} .jp-FairioAnalysis-opacity`, (input) => {
      (input as HTMLInputElement).value = '1';
      input.dispatchEvent(new Event('input'));
    });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const wrong = await page.$eval(
      `${VIEWER} .jp-FairioViewer-canvas`,
      (canvas, { labels, x, y, width, height }) => {
        const c = canvas as HTMLCanvasElement;
        const scale = c.width / c.getBoundingClientRect().width;
        const ctx = c.getContext('2d')!;
        const colours = [[255, 0, 0], [0, 255, 0]];
        let bad = 0;
        let seen = 0;
        for (let j = 0; j < height; j += 5) {
          for (let i = 0; i < width; i += 5) {
            // Screen position of the middle of image pixel (x + i, y + j) in a view centred on (230.5, 290.5) at zoom 3.
            const sx = Math.floor(((x + i + 0.5 - 230.5) * 3 + c.width / scale / 2) * scale);
            const sy = Math.floor(((y + j + 0.5 - 290.5) * 3 + c.height / scale / 2) * scale);
            if (sx < 0 || sy < 0 || sx >= c.width || sy >= c.height) continue;
            const [r, g, b] = ctx.getImageData(sx, sy, 1, 1).data;
            const want = colours[labels[j * width + i] - 1];
            seen++;
            if (Math.abs(r - want[0]) > 2 || Math.abs(g - want[1]) > 2 || b > 2) bad++;
          }
        }
        return { bad, seen };
      },
      { labels: Array.from(labels), x, y, width, height },
    );
    expect(wrong.seen).toBeGreaterThan(100);
    expect(wrong.bad).toBe(0);

    // Right-click on the classifier in the file browser: applied in the viewer on the region in view, the same classes.
    await command(page, 'filebrowser:activate');
    const n = (await runsStarted(page)) + 1;
    await page.locator('.jp-DirListing-itemText', { hasText: /^nuclei\.fairio-rf$/ }).click({ button: 'right' });
    await page.locator('.lm-Menu-item', { hasText: 'Apply this pixel classifier in the viewer' }).click();
    const fromMenu = await settled(page, n);
    expect(fromMenu.state, fromMenu.message).toBe('done');
    runs.push(fromMenu.folder);
    await check(fromMenu.folder);

    // The whole plane (from the command, as a script would): the halo clipped at every edge, still the CLI's classes.
    const whole = (await runsStarted(page)) + 1;
    await command(page, 'fairio:analyse-image', { kind: 'pixel-classifier', path: 'nuclei.fairio-rf', channels: [] });
    const wholeRun = await settled(page, whole);
    expect(wholeRun.state, wholeRun.message).toBe('done');
    runs.push(wholeRun.folder);
    await check(wholeRun.folder, 'image');

    // What is not a classifier is named in the panel.
    const cases: [string, RegExp][] = [
      ['nuclei-demo', /nuclei-demo: is a folder, not a trained classifier/],
      ['nuclei.ome.zarr/zarr.json', /is not a fairio pixel classifier \(format "undefined"\)/],
      ['no/such.fairio-rf', /no such file or folder/],
    ];
    for (const [file, expected] of cases) {
      const failed = await settled(page, await startRun(page, file, 'visible', ''), 60_000);
      expect(failed.state, file).toBe('failed');
      expect(failed.message).toMatch(expected);
    }
    await page.locator(`${PANEL} .jp-FairioAnalysis-kind`).selectOption('bioimageio');
  }, 300_000);

  it('reads a zipped model package; its sha256 goes into the crate', async () => {
    const { page, server } = lab;
    const zipped = await settled(page, await startRun(page, 'nuclei-demo.zip', 'visible', '0'));
    expect(zipped.state, zipped.message).toBe('done');
    runs.push(zipped.folder);
    const graph = (JSON.parse(fs.readFileSync(path.join(server.root, zipped.folder, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] })['@graph'];
    const packageSha256 = graph.find((e) => e['@type'] === 'PropertyValue' && e.name === 'packageSha256');
    expect(packageSha256?.value).toBe(createHash('sha256').update(fs.readFileSync(path.join(server.root, 'nuclei-demo.zip'))).digest('hex'));
  }, 120_000);

  it('names the problem with a bad model in the panel', async () => {
    const { page, browser } = lab;
    const cases: [string, RegExp][] = [
      ['tampered-model', /has sha256 [0-9a-f]{64}, but the description says [0-9a-f]{64}/],
      ['not-a-model', /has no model description/],
      ['no/such/model', /no such file or folder/],
      ['nuclei.ome.zarr/zarr.json', /is not a bioimage\.io model/],
      ['odd-axes-model', /the model needs axis "row", which the image does not have \(axes: c, z, y, x\)/],
    ];
    for (const [model, expected] of cases) {
      const outcome = await settled(page, await startRun(page, model, 'visible', '0'), 60_000);
      expect(outcome.state, model).toBe('failed');
      expect(outcome.message).toMatch(expected);
    }
    expect(browser.errors).toEqual([]);
  }, 300_000);

  it('takes a changed setting from the settings editor: the overlay colormap', async () => {
    const { page } = lab;
    expect(await page.locator(VIEWER).getAttribute('data-overlay-colormap')).toBe('magma');
    await command(page, 'settingeditor:open', { query: 'fairio NGFF browser' });
    const field = page.locator('select[id$="analysisColormap"]');
    await field.waitFor({ timeout: 60_000 });
    await field.selectOption('viridis');
    await expect.poll(() => page.locator('.jp-FairioViewer').first().getAttribute('data-overlay-colormap'), { timeout: 30_000 }).toBe('viridis');
  }, 120_000);

  it('the exported session crate holds the runs made from the viewer', async () => {
    const { page, browser, server } = lab;
    await page.locator('.lm-TabBar-tab', { hasText: 'session.ipynb' }).first().click();
    const exported = () => fs.readdirSync(server.root).find((f) => /^session\.session-\d{8}-\d{6}\.crate$/.test(f));
    await exportSession(page, exported);
    await expect.poll(() => exported(), { timeout: 120_000 }).toBeDefined();
    const crate = path.join(server.root, exported()!);
    await expect.poll(() => fs.existsSync(path.join(crate, 'ro-crate-metadata.json')), { timeout: 30_000 }).toBe(true);
    const text = fs.readFileSync(path.join(crate, 'ro-crate-metadata.json'), 'utf8');
    for (const folder of runs) expect(fs.existsSync(path.join(crate, 'fairio-runs', folder, 'ro-crate-metadata.json')) || text.includes(folder), folder).toBe(true);
    expect(text).toContain('fairio nuclei demo');
    expect(browser.errors).toEqual([]);
    expect(browser.external).toEqual([]);
  }, 300_000);
});
