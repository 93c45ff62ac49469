/// <reference lib="dom" />
/**
 * Loading performance of the NGFF viewer (`npm run bench -- viewer`).
 *
 * 1. Generates (once, cached in tests/bench/.data/) a 16384 × 16384 uint16
 *    TIFF with the benchmark's generator and converts it with the fairio CLI
 *    to OME-Zarr 0.5 (512 × 512 chunks, blosc-zstd, 7 levels down to 256 × 256).
 * 2. Serves the store over HTTP on 127.0.0.1 (CORS on; every request counted).
 * 3. In one headless Chromium (1280 × 800), alternating, FAIRIO_BENCH_REPEATS
 *    times each (default 3), from a fresh page:
 *    - fairio: a real JupyterLab with jupyterlab-fairio (the JupyterLab
 *      tests' harness); the viewer is opened on the store's URL with the
 *      `fairio:ngff-open-viewer` command; timed in the page from the command
 *      to the viewer's `data-state="complete"` (everything in view drawn at
 *      the level that fits), with the viewer's own `data-first-render-ms`;
 *    - two references, each bundled with esbuild into a static page on
 *      another port with a canvas of the viewer's size (viewer-pages/):
 *      ome-zarr.js (`NgffImage.load` + `renderRgba` of the level that fits,
 *      drawn; timed to the frame after the draw) and Viv, vizarr's engine
 *      (deck.gl `MultiscaleImageLayer` fitted, timed to `onViewportLoad`).
 *    For both: the chunk requests (per level) and metadata requests the
 *    server saw for that view, and main-thread long tasks (PerformanceObserver
 *    'longtask') while it loaded.
 * 4. fairio only: zoomed to 1/4 (level 2), a mouse drag pans the view for
 *    about 3 s while new chunks load; the long tasks of that time (target:
 *    none over 50 ms) and the chunks fetched.
 * Prints a table and writes tests/bench/results/viewer.json. Targets: first
 * full view < 1 s; only visible chunks at one level (plus the coarsest level
 * the viewer shows first); no long task while panning. The machine is shared:
 * only the ratios to the references in the same run mean much.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { hasChromium, openBrowser, type BrowserSession } from '../jupyterlab/chromium.js';
import { hasJupyterLab, startJupyterLab, type JupyterLab } from '../jupyterlab/jupyterlab-server.js';
import { command, VIEWER, waitComplete, waitForLab } from '../jupyterlab/viewer-session.js';
import { ensureInput } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const cli = path.join(root, 'cli', 'dist', 'bin.js');
const SIZE = 16384;
const REPEATS = Number(process.env.FAIRIO_BENCH_REPEATS ?? 3);
const TARGET_FIRST_VIEW_MS = 1000;
const LONG_TASK_MS = 50;

function log(line: string): void {
  process.stderr.write(`[bench:viewer] ${line}\n`);
}

/** The benchmark's store: converted once from the generated TIFF; a marker file says the conversion finished. */
function ensureStore(dataDir: string, tiff: string): string {
  const store = path.join(dataDir, `viewer-${SIZE}.ome.zarr`);
  const done = `${store}.done`;
  if (fs.existsSync(done) && fs.existsSync(store)) return store;
  log(`converting ${path.basename(tiff)} to ${path.basename(store)} with the fairio CLI`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, 'convert', tiff, store, '--ngff', '0.5', '--chunks', '512,512', '--compressor', 'blosc-zstd:5', '--overwrite', '--no-crate', '--quiet'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fairio convert failed (${r.status}):\n${r.stderr}`);
  fs.writeFileSync(done, '');
  log(`converted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return store;
}

interface Requests {
  /** Chunk requests per level path ('0', '1', …). */
  chunksByLevel: Record<string, number>;
  chunks: number;
  metadata: number;
}

/** Classify the server's requests for the store since `from` (an index into `server.requests`). */
function requestsSince(server: StaticServer, from: number, storePath: string): Requests {
  const chunksByLevel: Record<string, number> = {};
  let chunks = 0;
  let metadata = 0;
  for (const p of server.requests.slice(from)) {
    if (!p.startsWith(`${storePath}/`)) continue;
    const key = p.slice(storePath.length + 1);
    if (/(^|\/)(zarr\.json|\.zattrs|\.zgroup|\.zarray|\.zmetadata)$/.test(key)) {
      metadata++;
      continue;
    }
    const level = key.split('/')[0];
    chunksByLevel[level] = (chunksByLevel[level] ?? 0) + 1;
    chunks++;
  }
  return { chunksByLevel, chunks, metadata };
}

/** Start collecting main-thread long tasks in the page (durations, ms). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; longTaskObserver?: PerformanceObserver };
    w.longTaskObserver?.disconnect();
    w.longTasks = [];
    w.longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    });
    w.longTaskObserver.observe({ type: 'longtask' });
  });
}

async function longTasks(page: Page): Promise<number[]> {
  // Entries are delivered asynchronously: give the observer a frame.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  return page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.map((d) => Math.round(d)));
}

/** Why fairio's viewer cannot be driven in this JupyterLab, or undefined when it can. */
async function viewerMissing(page: Page, lab: JupyterLab): Promise<string | undefined> {
  try {
    await waitForLab(page, lab.labUrl('bench-probe'));
  } catch (error) {
    return `JupyterLab with the extension did not come up with window.jupyterapp (--LabApp.expose_app_in_browser): ${(error as Error).message.split('\n')[0]}`;
  }
  const has = await page.evaluate(() => (window as unknown as { jupyterapp: { commands: { hasCommand(id: string): boolean } } }).jupyterapp.commands.hasCommand('fairio:ngff-open-viewer'));
  return has ? undefined : 'the extension has no fairio:ngff-open-viewer command (no viewer yet)';
}

/** The reference pages (tests/bench/viewer-pages/NAME.ts, each exposing `window.showReference(url)`). */
const REFERENCES = { 'ome-zarr.js': 'ome-zarr-js', viv: 'viv' } as const;
type Reference = keyof typeof REFERENCES;
type Side = 'fairio' | Reference;

interface FirstView {
  side: Side;
  repeat: number;
  ms: number;
  /** fairio: the viewer's own figure (from its construction). */
  viewerMs?: number;
  level?: string;
  requests: Requests;
  longTasks: number[];
}

async function fairioFirstView(browser: BrowserSession, lab: JupyterLab, server: StaticServer, storeUrl: string, storePath: string, repeat: number): Promise<FirstView> {
  const { page } = browser;
  await waitForLab(page, lab.labUrl(`bench-${repeat}`));
  await watchLongTasks(page);
  const from = server.requests.length;
  // Timed in the page: from the command to the first frame where the viewer says complete.
  const ms = await page.evaluate(
    async ([url, selector]) => {
      const app = (window as unknown as { jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } } }).jupyterapp;
      const started = performance.now();
      await app.commands.execute('fairio:ngff-open-viewer', { location: url, path: '' });
      for (;;) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const node = document.querySelector(selector) as HTMLElement | null;
        if (node?.dataset.state === 'complete' && node.dataset.firstRenderMs !== undefined) return performance.now() - started;
        if (node?.dataset.state === 'failed') throw new Error(node.textContent ?? 'viewer failed');
        if (performance.now() - started > 120_000) throw new Error('the viewer did not complete within 120 s');
      }
    },
    [storeUrl, VIEWER] as const,
  );
  const data = await page.$eval(VIEWER, (node) => ({ ...(node as HTMLElement).dataset }) as Record<string, string>);
  return { side: 'fairio', repeat, ms, viewerMs: Number(data.firstRenderMs), level: data.level, requests: requestsSince(server, from, storePath), longTasks: await longTasks(page) };
}

/**
 * `targetSize`: the size of the pyramid level the fairio viewer shows for the canvas (the smallest at least as
 * large as the canvas); ome-zarr.js renders the largest level not above its target, so it gets that level's size
 * and shows the same pixels. Viv chooses its level itself.
 */
async function referenceFirstView(side: Reference, browser: BrowserSession, pageUrl: string, server: StaticServer, storeUrl: string, storePath: string, repeat: number, targetSize: number): Promise<FirstView> {
  const { page } = browser;
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'showReference' in window);
  await watchLongTasks(page);
  const from = server.requests.length;
  const r = await page.evaluate(([url, size]) => (window as unknown as { showReference(url: string, size: number): Promise<{ ms: number; width?: number; height?: number; tiles?: number }> }).showReference(url, size), [storeUrl, targetSize] as const);
  return { side, repeat, ms: r.ms, level: r.width ? `${r.width}×${r.height}` : `${r.tiles} tiles`, requests: requestsSince(server, from, storePath), longTasks: await longTasks(page) };
}

/** Zoom to 1/4, then drag the view around for about 3 s; long tasks and chunks of that time. */
async function fairioPan(browser: BrowserSession, server: StaticServer, storePath: string) {
  const { page } = browser;
  await command(page, 'fairio:ngff-set-view', { centerX: 4096, centerY: 4096, zoom: 0.25 });
  await waitComplete(page);
  const box = await page.locator(`${VIEWER} .jp-FairioViewer-canvas`).boundingBox();
  if (!box) throw new Error('no viewer canvas');
  await watchLongTasks(page);
  const from = server.requests.length;
  const started = performance.now();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  // Four strokes of 300 × 100 px the same way (1200 × 400 level-0 pixels each at zoom 1/4), 40 moves each,
  // about 16 ms apart: the view keeps reaching chunks it has not loaded.
  for (const [dx, dy] of [[-300, -100], [-300, -100], [-300, -100], [-300, -100]] as const) {
    const x0 = cx;
    const y0 = cy;
    for (let i = 1; i <= 40; i++) {
      await page.mouse.move(x0 + (dx * i) / 40, y0 + (dy * i) / 40);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
  }
  await page.mouse.up();
  await waitComplete(page);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, requests: requestsSince(server, from, storePath), longTasks: await longTasks(page) };
}

const median = (values: number[]) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

async function main(): Promise<void> {
  if (!hasChromium) throw new Error('Debian chromium is needed (scripts/setup.sh installs it as root)');
  if (!hasJupyterLab) throw new Error('JupyterLab in .venv with the built extension is needed: run bash scripts/setup.sh');
  const dataDir = path.resolve(root, process.env.FAIRIO_BENCH_DATA || path.join('tests', 'bench', '.data'));
  const tiff = await ensureInput(path.join(dataDir, 'viewer'), { width: SIZE, height: SIZE, planes: 1 }, log);
  const store = ensureStore(dataDir, tiff);
  const storePath = `/${path.basename(store)}`;

  const pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bench-viewer-'));
  let data: StaticServer | undefined;
  let pages: StaticServer | undefined;
  let lab: JupyterLab | undefined;
  let browser: BrowserSession | undefined;
  try {
    for (const name of Object.values(REFERENCES)) {
      await build({ entryPoints: [path.join(here, 'viewer-pages', `${name}.ts`)], bundle: true, format: 'esm', platform: 'browser', outfile: path.join(pageDir, `${name}.js`), logLevel: 'warning' });
    }
    data = await serveFolder(dataDir, { cors: true });
    log('starting JupyterLab with jupyterlab-fairio');
    lab = await startJupyterLab();
    browser = await openBrowser();
    const storeUrl = `${data.url}${storePath}`;

    // fairio's viewer needs the viewer command and window.jupyterapp (JupyterLab's expose_app_in_browser).
    const missingViewer = await viewerMissing(browser.page, lab);
    let canvas = { width: 1024, height: 700 };
    if (missingViewer) log(`fairio side skipped: ${missingViewer}`);
    else {
      // The reference pages get a canvas the size of the fairio viewer's (measured in a warm-up run).
      const first = await fairioFirstView(browser, lab, data, storeUrl, storePath, -1);
      canvas = await browser.page.$eval(`${VIEWER} .jp-FairioViewer-canvas`, (c) => ({ width: (c as HTMLCanvasElement).width, height: (c as HTMLCanvasElement).height }));
      log(`warm-up: fairio ${first.ms.toFixed(0)} ms; viewer canvas ${canvas.width} × ${canvas.height}`);
    }
    for (const name of Object.values(REFERENCES)) {
      fs.writeFileSync(
        path.join(pageDir, `${name}.html`),
        `<!doctype html><html><body style="margin:0;background:#000"><canvas width="${canvas.width}" height="${canvas.height}" style="width:${canvas.width}px;height:${canvas.height}px"></canvas><script type="module" src="${name}.js"></script></body></html>`,
      );
    }
    pages = await serveFolder(pageDir);

    const views: FirstView[] = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      // Each repeat starts with another side.
      const sides: Side[] = ['fairio', ...(Object.keys(REFERENCES) as Reference[])];
      const order = [...sides.slice(repeat % sides.length), ...sides.slice(0, repeat % sides.length)];
      for (const side of order) {
        if (side === 'fairio' && missingViewer) continue;
        const v = side === 'fairio' ? await fairioFirstView(browser, lab, data, storeUrl, storePath, repeat) : await referenceFirstView(side, browser, `${pages.url}/${REFERENCES[side]}.html`, data, storeUrl, storePath, repeat, 2 ** Math.ceil(Math.log2(Math.max(canvas.width, canvas.height))));
        log(`${side} (${repeat + 1}): ${v.ms.toFixed(0)} ms${v.viewerMs === undefined ? '' : ` (viewer's own ${v.viewerMs} ms, level ${v.level})`}, ${v.requests.chunks} chunk requests ${JSON.stringify(v.requests.chunksByLevel)}, long tasks ${JSON.stringify(v.longTasks)}`);
        views.push(v);
      }
    }
    let pan: Awaited<ReturnType<typeof fairioPan>> | undefined;
    if (!missingViewer) {
      log('panning the fairio viewer');
      // In a fresh lab page with the viewer open (the last first view may have been a reference page).
      await fairioFirstView(browser, lab, data, storeUrl, storePath, -2);
      pan = await fairioPan(browser, data, storePath);
      log(`pan: ${pan.seconds.toFixed(1)} s, ${pan.requests.chunks} chunk requests, long tasks ${JSON.stringify(pan.longTasks)}`);
    }

    const side = (s: FirstView['side']) => views.filter((v) => v.side === s);
    const summary = (s: Side) => side(s).length === 0 ? undefined : ({
      medianMs: median(side(s).map((v) => v.ms)),
      bestMs: Math.min(...side(s).map((v) => v.ms)),
      chunkRequests: side(s)[0].requests.chunksByLevel,
      maxLongTaskMs: Math.max(0, ...side(s).flatMap((v) => v.longTasks)),
    });
    const fairio = summary('fairio');
    const references = Object.fromEntries((Object.keys(REFERENCES) as Reference[]).map((r) => [r, summary(r)]));
    const packageVersion = (name: string) => (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const result = {
      finishedAt: new Date().toISOString(),
      machine: { nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model, load: os.loadavg(), chromium: browser.context.browser()?.version() ?? spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim(), omeZarrJs: packageVersion('ome-zarr.js'), viv: packageVersion('@hms-dbmi/viv'), deckGl: packageVersion('@deck.gl/core') },
      store: { path: path.relative(root, store), shape: [SIZE, SIZE], dtype: 'uint16', chunks: [512, 512], compressor: 'blosc-zstd:5', ngff: '0.5' },
      canvas,
      fairioSkipped: missingViewer,
      firstView: {
        runs: views,
        fairio,
        references,
        /** Reference median / fairio median: above 1, fairio is faster. */
        ratios: Object.fromEntries(Object.entries(references).map(([r, s]) => [r, fairio && s ? s.medianMs / fairio.medianMs : undefined])),
        targetMs: TARGET_FIRST_VIEW_MS,
        met: fairio ? fairio.medianMs < TARGET_FIRST_VIEW_MS : undefined,
      },
      pan: pan && { ...pan, targetLongTaskMs: LONG_TASK_MS, met: pan.longTasks.length === 0 },
    };
    const resultsDir = path.join(here, 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, 'viewer.json'), `${JSON.stringify(result, null, 2)}\n`);
    const row = (name: string, s: ReturnType<typeof summary>) => !s ? `${name.padEnd(12)} not measured` : `${name.padEnd(12)} ${s.medianMs.toFixed(0).padStart(8)} ${s.bestMs.toFixed(0).padStart(8)}  ${JSON.stringify(s.chunkRequests).padEnd(24)} ${String(s.maxLongTaskMs).padStart(6)}`;
    console.log(
      [
        `viewer benchmark — ${SIZE} × ${SIZE} uint16, 512² chunks, canvas ${canvas.width} × ${canvas.height}, ${REPEATS} repeats, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
        `side         median ms  best ms  chunk requests by level  max long task ms (loading)`,
        row('fairio', fairio),
        ...Object.entries(references).map(([r, s]) => row(r, s)),
        fairio
          ? `first view: fairio ${fairio.medianMs < TARGET_FIRST_VIEW_MS ? 'meets' : 'misses'} the < ${TARGET_FIRST_VIEW_MS} ms target; reference / fairio: ${Object.entries(result.firstView.ratios).map(([r, x]) => `${r} ${x?.toFixed(2)}×`).join(', ')}`
          : `fairio not measured: ${missingViewer}`,
        pan ? `panning (fairio, zoom 1/4, ${pan.seconds.toFixed(1)} s): ${pan.requests.chunks} chunk requests ${JSON.stringify(pan.requests.chunksByLevel)}, ${pan.longTasks.length} long task(s)${pan.longTasks.length ? ` (max ${Math.max(...pan.longTasks)} ms)` : ''}` : '',
        `written to ${path.relative(root, path.join(resultsDir, 'viewer.json'))}`,
      ].join('\n'),
    );
  } finally {
    await browser?.close();
    await lab?.stop();
    await data?.close();
    await pages?.close();
    fs.rmSync(pageDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`[bench:viewer] ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
