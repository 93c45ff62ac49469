/**
 * Driving the NGFF viewer in a real JupyterLab page as a user would (through
 * its commands, controls and sidebar), and comparing what its canvas shows
 * with the independent rendering of render_reference.py.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { venvPython } from '../helpers/reference.js';

const run = promisify(execFile);
const referenceScript = path.join(path.dirname(new URL(import.meta.url).pathname), 'render_reference.py');

/** The visible viewer tab. */
export const VIEWER = '.jp-FairioViewer:not(.lm-mod-hidden)';

export async function waitForLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { jupyterapp?: { commands: { hasCommand(id: string): boolean } } }).jupyterapp?.commands.hasCommand('fairio:ngff-open'), undefined, { timeout: 90_000 });
  await page.evaluate(() => (window as unknown as { jupyterapp: { restored: Promise<void> } }).jupyterapp.restored);
}

export async function command(page: Page, id: string, args: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(([id, args]) => (window as unknown as { jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } } }).jupyterapp.commands.execute(id as string, args), [id, args] as const);
}

/** Wait until the visible viewer has drawn everything in view (or failed to load). */
export async function waitComplete(page: Page, timeout = 60_000): Promise<string> {
  // A change schedules a frame and marks the viewer loading; give it that frame first.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const handle = await page.waitForFunction(
    (selector) => {
      const node = document.querySelector(selector) as HTMLElement | null;
      const state = node?.dataset.state;
      return state === 'complete' || state === 'failed' ? state : false;
    },
    VIEWER,
    { timeout },
  );
  return (await handle.jsonValue()) as string;
}

export async function viewerData(page: Page): Promise<Record<string, string>> {
  return page.$eval(VIEWER, (node) => ({ ...(node as HTMLElement).dataset }) as Record<string, string>);
}

export async function viewerMessage(page: Page): Promise<string> {
  return (await page.locator(`${VIEWER} .jp-FairioViewer-message`).textContent()) ?? '';
}

/** Show the level that fits `zoom` 1:1 on the canvas with its pixel (0, 0) at the canvas's top-left corner. */
export async function placeTopLeft(page: Page, zoom: number, z?: number): Promise<void> {
  const box = await page.locator(`${VIEWER} .jp-FairioViewer-canvas`).boundingBox();
  if (!box) throw new Error('no viewer canvas');
  await command(page, 'fairio:ngff-set-view', { centerX: box.width / 2 / zoom, centerY: box.height / 2 / zoom, zoom, ...(z === undefined ? {} : { z }) });
  await waitComplete(page);
}

export interface Comparison {
  compared: number;
  max: number;
  mean: number;
  over2: number;
  windows: number[][];
  shape: number[];
}

let shotCount = 0;

/** Screenshot the canvas and compare it with the reference rendering of `spec` (see render_reference.py). */
export async function compareCanvas(page: Page, spec: Record<string, unknown>, keep?: string): Promise<Comparison> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-shot-'));
  try {
    const screenshot = path.join(dir, 'canvas.png');
    await page.locator(`${VIEWER} .jp-FairioViewer-canvas`).screenshot({ path: screenshot });
    if (keep) fs.copyFileSync(screenshot, keep);
    const specFile = path.join(dir, 'spec.json');
    // FAIRIO_SHOT_DIR keeps every screenshot and its expected rendering, for looking at a failure.
    const keepDir = process.env.FAIRIO_SHOT_DIR;
    const n = (shotCount += 1);
    if (keepDir) fs.copyFileSync(screenshot, path.join(keepDir, `${n}-actual.png`));
    fs.writeFileSync(specFile, JSON.stringify({ ...spec, screenshot, ...(keepDir ? { expected_png: path.join(keepDir, `${n}-expected.png`) } : {}) }));
    const { stdout } = await run(venvPython, [referenceScript, specFile], { timeout: 120_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Comparison;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
