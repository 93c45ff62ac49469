// The NGFF viewer in a real JupyterLab (installed from the wheel) in headless
// Chromium: a shared sample OME-Zarr and a fairio-written NGFF 0.5 pyramid
// (sharded, two channels, a label image) display as zarr-python + numpy say
// they should (render_reference.py), at level 0 and at a lower pyramid level;
// channel, colour, contrast and z controls change the image accordingly; and
// bad input (not OME-Zarr, a missing level, a corrupt chunk, an HTTP server
// failing mid-way) gives a message while the rest of the image is still shown,
// with nothing thrown on the console.
//
// FAIRIO_DOCS_SCREENSHOTS=1 also writes the pictures in docs/jupyterlab-*.png.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, hasSharedData, missing, projectRoot, python, pythonJson, shared } from '../helpers/reference.js';
import { labSession } from '../helpers/lab-session.js';
import { hasChromium, unexpectedFailedLoads } from './chromium.js';
import { hasJupyterLab, startJupyterLab } from './jupyterlab-server.js';
import { command, compareCanvas, placeTopLeft, VIEWER, viewerData, viewerMessage, waitComplete, waitForLab } from './viewer-session.js';

const run = promisify(execFile);
const skip =
  missing('JupyterLab in .venv with the built extension', hasJupyterLab) || missing('Debian chromium', hasChromium) || missing('../shared/data', hasSharedData) || missing('.venv', hasPython);
const docs = process.env.FAIRIO_DOCS_SCREENSHOTS === '1';
const fairio = path.join(projectRoot, 'cli', 'dist', 'bin.js');

// The fairio store's channels; their windows come from its OMERO metadata (fairio measures them when it writes).
const DAPI = { index: 0, color: [0, 0, 255] };
const GFP = { index: 1, color: [0, 255, 0] };

const PLATE_SCRIPT = `
import sys, shutil, numpy as np, zarr
from ome_zarr.io import parse_url
from ome_zarr.writer import write_image, write_plate_metadata, write_well_metadata
root = zarr.group(store=parse_url(sys.argv[1], mode="w").store)
rows, cols = ["A", "B"], ["1", "2", "3"]
wells = [f"{r}/{c}" for r in rows for c in cols]
write_plate_metadata(root, rows, cols, wells, name="test plate")
rng = np.random.default_rng(7)
for i, w in enumerate(wells):
    r, c = w.split("/")
    well = root.require_group(r).require_group(c)
    write_well_metadata(well, [{"path": "0"}])
    image = (rng.random((64, 64)) * 50 + i * 40).astype(np.uint8)
    write_image(image, well.require_group("0"), axes="yx")
shutil.rmtree(f"{sys.argv[1]}/B/3/0")
`;

/** A static server for a store with CORS, that answers chosen keys with chosen statuses (a server failing mid-way). */
async function serveStore(root: string, failures: Record<string, number>): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    requests.push(key);
    const file = path.join(root, key);
    if (failures[key]) return void res.writeHead(failures[key]).end();
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return void res.writeHead(404).end();
    const data = fs.readFileSync(file);
    const range = req.headers.range?.match(/bytes=(\d*)-(\d*)/);
    if (range) {
      const start = range[1] === '' ? data.length - Number(range[2]) : Number(range[1]);
      const end = range[1] !== '' && range[2] ? Number(range[2]) : data.length - 1;
      return void res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${data.length}`, 'content-length': end - start + 1 }).end(data.subarray(start, end + 1));
    }
    res.writeHead(200, { 'content-length': data.length }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

describe.skipIf(skip)('NGFF viewer in JupyterLab (headless Chromium, compared with zarr-python + numpy)', () => {
  const lab = labSession(startJupyterLab);
  let nuclei: string;

  beforeAll(async () => {
    await lab.open(async ({ root }) => {
      fs.cpSync(shared('samples', 'ome-zarr', 'v04-image-03-with-labels.zarr'), path.join(root, 'cells.zarr'), { recursive: true });
      fs.cpSync(shared('samples', 'ome-zarr', 'v05-multiscale-input9.zarr'), path.join(root, 'pyramid.zarr'), { recursive: true });
      fs.cpSync(shared('samples', 'ome-zarr', 'v05-input13.zarr'), path.join(root, 'upper.zarr'), { recursive: true });
      // fairio's own NGFF 0.5: the synthetic nuclei (2 channels × 4 z × 512²), 128² chunks in 256² shards,
      // a 3-level pyramid, and its nuclei segmented by fairio threshold + label as labels/nuclei.
      const work = path.join(path.dirname(root), 'work');
      fs.mkdirSync(work);
      const cli = (...args: string[]) => run(process.execPath, [fairio, ...args, '-q'], { cwd: work, timeout: 180_000 });
      await cli('sample', 'sample.ome.tiff', '--size', '512', '--depth', '4');
      nuclei = path.join(root, 'nuclei.ome.zarr');
      await cli('convert', 'sample.ome.tiff', nuclei, '--ngff', '0.5', '--chunks', '1,1,128,128', '--shards', '1,1,256,256', '--no-crate');
      await cli('threshold', nuclei, 'mask.ome.zarr', '--channel', '0', '--no-crate');
      fs.mkdirSync(path.join(nuclei, 'labels'));
      await cli('label', 'mask.ome.zarr', path.join(nuclei, 'labels', 'nuclei'), '--no-crate');
      fs.writeFileSync(path.join(nuclei, 'labels', 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', labels: ['nuclei'] } } }));
      // Bad input: a Zarr group that is not OME-Zarr, a pyramid with a level missing, a corrupt shard.
      fs.mkdirSync(path.join(root, 'plain.zarr'));
      fs.writeFileSync(path.join(root, 'plain.zarr', 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { note: 'no NGFF metadata' } }));
      fs.cpSync(nuclei, path.join(root, 'missing-level.ome.zarr'), { recursive: true });
      fs.rmSync(path.join(root, 'missing-level.ome.zarr', '1'), { recursive: true });
      fs.cpSync(nuclei, path.join(root, 'corrupt.ome.zarr'), { recursive: true });
      // Channel 0, z 2 (the plane shown first), shard (0, 0) of level 0: its index and chunks garbled.
      const shard = path.join(root, 'corrupt.ome.zarr', '0', 'c', '0', '2', '0', '0');
      fs.writeFileSync(shard, Buffer.alloc(fs.statSync(shard).size, 0xa5));
      // An HCS plate written by ome-zarr-py: 2 rows × 3 columns, 5 wells with one 64² field each, and a sixth
      // well whose field is missing.
      await python(PLATE_SCRIPT, [path.join(root, 'plate.ome.zarr')]);
    });
    await waitForLab(lab.page, lab.server.labUrl());
  }, 300_000);

  afterAll(() => lab.close());

  const reference = (spec: Record<string, unknown>, keep?: string) => compareCanvas(lab.page, spec, keep);
  const expectMatch = (c: { compared: number; max: number; over2: number }, minPixels: number) => {
    expect(c.compared).toBeGreaterThanOrEqual(minPixels);
    // Canvas blending rounds in 8 bits: at most a couple of grey levels apart, almost never more.
    expect(c.over2).toBeLessThanOrEqual(Math.ceil(c.compared * 0.001));
    expect(c.max).toBeLessThanOrEqual(8);
  };
  const open = async (location: string) => {
    await command(lab.page, 'fairio:ngff-open', { location });
    await lab.page.locator(VIEWER).waitFor({ timeout: 30_000 });
    return waitComplete(lab.page);
  };

  it('shows the shared NGFF 0.4 sample (float64, z-stack, auto-contrast) as numpy renders it', async () => {
    expect(await open('cells.zarr')).toBe('complete');
    const fitLevel = Number((await viewerData(lab.page)).level);
    await placeTopLeft(lab.page, 1);
    const c = await reference({ store: path.join(lab.server.root, 'cells.zarr'), level: 0, z: 1, channels: [{ index: 0, color: [255, 255, 255] }], auto: [0.1, 99.9], auto_level: fitLevel });
    expectMatch(c, 100 * 100);
    expect(c.mean).toBeLessThan(0.6);
    // The sidebar lists it.
    await command(lab.page, 'fairio:ngff-show-browser');
    expect(await lab.page.locator('#fairio-ngff-browser .jp-FairioBrowser-level').count()).toBe(1);
  });

  it('shows a fairio NGFF 0.5 pyramid (sharded, 2 channels, labels at 50 %) at level 0 and level 1', async () => {
    expect(await open('nuclei.ome.zarr')).toBe('complete');
    const data = await viewerData(lab.page);
    expect(Number(data.firstRenderMs)).toBeGreaterThan(0);
    if (docs) await lab.page.screenshot({ path: path.join(projectRoot, 'docs', 'jupyterlab-viewer.png') });
    await placeTopLeft(lab.page, 1);
    expect((await viewerData(lab.page)).level).toBe('0');
    const labels = [{ path: 'labels/nuclei', opacity: 0.5 }];
    expectMatch(await reference({ store: nuclei, level: 0, z: 2, channels: [DAPI, GFP], labels }), 512 * 512);
    await placeTopLeft(lab.page, 0.5);
    expect((await viewerData(lab.page)).level).toBe('1');
    expectMatch(await reference({ store: nuclei, level: 1, z: 2, channels: [DAPI, GFP], labels }), 256 * 256);
  });

  it('loads only the chunks in view', async () => {
    await placeTopLeft(lab.page, 1);
    const before = Number((await viewerData(lab.page)).chunks);
    // Zoomed 4× into the top-left corner: level 0, a few of its 16 chunks per layer in view.
    const box = (await lab.page.locator(`${VIEWER} .jp-FairioViewer-canvas`).boundingBox())!;
    await command(lab.page, 'fairio:ngff-set-view', { zoom: 4, centerX: box.width / 8, centerY: box.height / 8, z: 1 });
    await waitComplete(lab.page);
    const tilesInView = Math.ceil(box.width / 4 / 128) * Math.ceil(box.height / 4 / 128);
    const fetched = Number((await viewerData(lab.page)).chunks) - before;
    // New z: level 0 tiles in view for 2 channels and the labels, plus the coarsest level's one chunk each.
    expect(fetched).toBeLessThanOrEqual(3 * tilesInView + 3);
    expect(fetched).toBeGreaterThan(0);
  });

  it('changes the image with the channel, colour, contrast and z controls', async () => {
    await command(lab.page, 'fairio:ngff-set-view', { z: 2 });
    await placeTopLeft(lab.page, 1);
    const page = lab.page;
    const labels = [{ path: 'labels/nuclei', opacity: 0.5 }];
    // GFP off.
    await page.locator(`${VIEWER} .jp-FairioViewer-channel[data-channel="1"] .jp-FairioViewer-visible`).uncheck();
    await waitComplete(page);
    expectMatch(await reference({ store: nuclei, level: 0, z: 2, channels: [DAPI], labels }), 512 * 512);
    // DAPI in red, window 58–1500; labels off.
    await page.locator(`${VIEWER} .jp-FairioViewer-channel[data-channel="0"] .jp-FairioViewer-color`).fill('#ff0000');
    const max = page.locator(`${VIEWER} .jp-FairioViewer-channel[data-channel="0"] .jp-FairioViewer-max`);
    await max.fill('1500');
    await max.dispatchEvent('change');
    await page.locator(`${VIEWER} .jp-FairioViewer-label[data-label="nuclei"] .jp-FairioViewer-visible`).uncheck();
    await waitComplete(page);
    expectMatch(await reference({ store: nuclei, level: 0, z: 2, channels: [{ index: 0, color: [255, 0, 0], min: 58, max: 1500 }] }), 512 * 512);
    // z slider to the first plane.
    await page.locator(`${VIEWER} .jp-FairioViewer-z input`).fill('0');
    await waitComplete(page);
    expectMatch(await reference({ store: nuclei, level: 0, z: 0, channels: [{ index: 0, color: [255, 0, 0], min: 58, max: 1500 }] }), 512 * 512);
    expect(lab.browser.errors).toEqual([]);
  });

  it('says a Zarr group is not OME-Zarr, in the sidebar, and opens no viewer', async () => {
    const viewers = await lab.page.locator('.jp-FairioViewer').count();
    await command(lab.page, 'fairio:ngff-open', { location: 'plain.zarr' });
    const message = lab.page.locator('#fairio-ngff-browser .jp-FairioBrowser-message');
    await expect.poll(() => message.textContent(), { timeout: 20_000 }).toMatch(/Cannot open plain\.zarr: .*not OME-Zarr/);
    expect(await message.getAttribute('data-level')).toBe('error');
    expect(await lab.page.locator('.jp-FairioViewer').count()).toBe(viewers);
  });

  it('shows the other levels when one is missing, and says which', async () => {
    expect(await open('missing-level.ome.zarr')).toBe('complete');
    expect(await viewerMessage(lab.page)).toMatch(/resolution level 1 \("1"\) is listed in multiscales but its array is missing/);
    await placeTopLeft(lab.page, 1);
    expectMatch(await reference({ store: nuclei, level: 0, z: 2, channels: [DAPI, GFP], labels: [{ path: 'labels/nuclei', opacity: 0.5 }] }), 512 * 512);
    // The sidebar marks it too.
    await command(lab.page, 'fairio:ngff-show-browser');
    expect(await lab.page.locator('#fairio-ngff-browser .jp-FairioBrowser-error').count()).toBeGreaterThan(0);
  });

  it('names a corrupt chunk and still shows the rest of the image', async () => {
    expect(await open('corrupt.ome.zarr')).toBe('complete');
    await placeTopLeft(lab.page, 1);
    expect(await viewerMessage(lab.page)).toMatch(/chunk planes? could not be read.*c\/0\/2\/0\/0/s);
    if (docs) await lab.page.screenshot({ path: path.join(projectRoot, 'docs', 'jupyterlab-corrupt-chunk.png') });
    // Everything outside the damaged shard (level-0 pixels 0..255 in y and x) as the reference draws it.
    const c = await reference({ store: nuclei, level: 0, z: 2, channels: [DAPI, GFP], labels: [{ path: 'labels/nuclei', opacity: 0.5 }], skip_tiles: [[0, 0, 258, 258]] });
    expectMatch(c, 512 * 512 - 258 * 258);
    expect(lab.browser.errors).toEqual([]);
  });

  it('keeps going when an http(s) server fails mid-way (a level answering 404, a shard 503)', async () => {
    const server = await serveStore(nuclei, { '1/zarr.json': 404, '0/c/1/2/0/1': 503 });
    try {
      expect(await open(server.url)).toBe('complete');
      await placeTopLeft(lab.page, 1);
      const message = await viewerMessage(lab.page);
      expect(message).toMatch(/resolution level 1 .* missing/);
      expect(message).toMatch(/could not be read.*0\/c\/1\/2\/0\/1/s);
      // GFP is missing from the shard at y 0..255, x 256..511: compare the other three quarters.
      const c = await reference({ store: nuclei, level: 0, z: 2, channels: [DAPI, GFP], labels: [{ path: 'labels/nuclei', opacity: 0.5 }], skip_tiles: [[0, 254, 258, 512]] });
      expectMatch(c, 512 * 512 - 258 * 258);
      // Only the store's own failures reached the console (as Chromium's network log), nothing unhandled.
      expect(unexpectedFailedLoads(lab.browser).every((line) => line.startsWith('503 ') || line.startsWith('404 '))).toBe(true);
      expect(unexpectedFailedLoads(lab.browser).every((line) => line.includes(server.url))).toBe(true);
      expect(lab.browser.errors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('opens an NGFF 0.5 5-level bool pyramid and an image with upper-case axis names', async () => {
    expect(await open('pyramid.zarr')).toBe('complete');
    const fitLevel = Number((await viewerData(lab.page)).level);
    await placeTopLeft(lab.page, 1);
    expectMatch(await reference({ store: path.join(lab.server.root, 'pyramid.zarr'), level: 0, z: 1, channels: [{ index: 0, color: [255, 255, 255] }], auto: [0.1, 99.9], auto_level: fitLevel }), 100 * 100);
    expect(await open('upper.zarr')).toBe('complete');
    const upperLevel = Number((await viewerData(lab.page)).level);
    await placeTopLeft(lab.page, 1);
    expectMatch(await reference({ store: path.join(lab.server.root, 'upper.zarr'), level: 0, channels: [{ index: 0, color: [255, 255, 255] }], auto: [0.1, 99.9], auto_level: upperLevel }), 265 * 329);
    expect(lab.browser.errors).toEqual([]);
    expect(lab.browser.external).toEqual([]);
  });

  it('shows the value of every channel and the label under the pointer', async () => {
    expect(await open('nuclei.ome.zarr')).toBe('complete');
    await command(lab.page, 'fairio:ngff-set-view', { z: 2 });
    await placeTopLeft(lab.page, 1);
    const canvas = (await lab.page.locator(`${VIEWER} .jp-FairioViewer-canvas`).boundingBox())!;
    await lab.page.mouse.move(canvas.x + 200.5, canvas.y + 150.5);
    const text = (await lab.page.locator(`${VIEWER} .jp-FairioViewer-pixel`).textContent()) ?? '';
    const [dapi, gfp, label] = await pythonJson<number[]>(
      'import sys, json, zarr; g = zarr.open_group(sys.argv[1], mode="r"); print(json.dumps([int(g["0"][0, 2, 150, 200]), int(g["0"][1, 2, 150, 200]), int(g["labels/nuclei/0"][2, 150, 200])]))',
      [nuclei],
    );
    expect(text).toContain('x 200, y 150 (65 µm)');
    expect(text).toContain(`DAPI ${dapi}`);
    expect(text).toContain(`GFP ${gfp}`);
    if (label) expect(text).toContain(`nuclei #${label}`);
  });

  it('opens *.zarr folders from the file browser (double-click and context menu)', async () => {
    const page = lab.page;
    await command(page, 'filebrowser:activate');
    await page.locator('.jp-DirListing-itemText', { hasText: /^cells\.zarr$/ }).dblclick();
    const message = page.locator('#fairio-ngff-browser .jp-FairioBrowser-message');
    await expect.poll(() => message.textContent(), { timeout: 20_000 }).toBe('cells.zarr');
    // The file browser did not enter the folder.
    await command(page, 'filebrowser:activate');
    await page.locator('.jp-DirListing-itemText', { hasText: /^pyramid\.zarr$/ }).click({ button: 'right' });
    await page.locator('.lm-Menu-item', { hasText: 'Open in the NGFF browser' }).click();
    await expect.poll(() => message.textContent(), { timeout: 20_000 }).toBe('pyramid.zarr');
    expect(await waitComplete(page)).toBe('complete');
    expect(lab.browser.errors).toEqual([]);
  });

  it('shows an HCS plate as a grid of wells, says which well cannot be read, and opens a field', async () => {
    const page = lab.page;
    await command(page, 'fairio:ngff-open', { location: 'plate.ome.zarr' });
    const grid = page.locator('.jp-FairioPlate:not(.lm-mod-hidden)');
    await page.waitForSelector('.jp-FairioPlate:not(.lm-mod-hidden)[data-state="complete"]', { timeout: 60_000 });
    expect(await grid.locator('.jp-FairioPlate-thumbnail').count()).toBe(5);
    expect(await grid.locator('.jp-FairioPlate-failed').count()).toBe(1);
    expect(await grid.locator('td[data-well="B/3"] .jp-FairioPlate-error').textContent()).toMatch(/B\/3\/0.*no Zarr group here/);
    if (docs) await page.screenshot({ path: path.join(projectRoot, 'docs', 'jupyterlab-plate.png') });
    await grid.locator('td[data-well="B/2"]').click();
    await page.locator(VIEWER).waitFor({ timeout: 30_000 });
    expect(await waitComplete(page)).toBe('complete');
    const fitLevel = Number((await viewerData(page)).level);
    await placeTopLeft(page, 1);
    expectMatch(await reference({ store: path.join(lab.server.root, 'plate.ome.zarr', 'B', '2', '0'), level: 0, channels: [{ index: 0, color: [255, 255, 255] }], auto: [0.1, 99.9], auto_level: fitLevel }), 64 * 64);
    expect(lab.browser.errors).toEqual([]);
  });

  it('comes back after a reload: the sidebar with its store, and the viewer tabs', async () => {
    const page = lab.page;
    const tabs = await page.locator('.jp-FairioViewer').count();
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { jupyterapp?: { commands: { hasCommand(id: string): boolean } } }).jupyterapp?.commands.hasCommand('fairio:ngff-open'), undefined, { timeout: 90_000 });
    await page.evaluate(() => (window as unknown as { jupyterapp: { restored: Promise<void> } }).jupyterapp.restored);
    await expect.poll(() => page.locator('.jp-FairioViewer').count(), { timeout: 30_000 }).toBe(tabs);
    await command(page, 'fairio:ngff-show-browser');
    await expect.poll(() => page.locator('#fairio-ngff-browser .jp-FairioBrowser-message').textContent(), { timeout: 30_000 }).toBe('plate.ome.zarr');
    // The viewer of the http store whose server is gone says so in its tab; nothing unhandled.
    expect(lab.browser.errors.join('\n')).toBe('');
  });
});
