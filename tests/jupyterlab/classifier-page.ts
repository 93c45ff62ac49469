/**
 * A page running the pixel classifier's browser entry
 * (@fairio/model-runner/browser) in headless Chromium, for the bundle test and
 * the browser-classifier benchmark: a 512 × 512 2-channel image (two crops of
 * BBBC033 nuclei) as OME-Zarr, a classifier trained on it by the command line
 * (every feature at every scale, 100 trees) and its `classify predict`
 * output; esbuild bundles of the built entry (`platform: 'browser'`), a web
 * worker and a page that fetches the classifier and pixels, classifies on N
 * web workers and hashes the results; a static server on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { arraySource, openOmeZarr, writeImage } from '@fairio/ngff';
import { projectRoot } from '../helpers/reference.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { sampleCrop } from '../../model-runner/src/pixel-classifier/__fixtures__/images.js';
import { openBrowser, type BrowserSession } from './chromium.js';

const run = promisify(execFile);
export const fairio = path.join(projectRoot, 'cli', 'dist', 'bin.js');
export const modelRunnerDist = path.join(projectRoot, 'model-runner', 'dist');
export const hasBuiltClassifier = fs.existsSync(path.join(modelRunnerDist, 'browser.js')) && fs.existsSync(fairio);
export const N = 512;

export interface PageRun {
  /** Wall time of each classify call on the page, ms. */
  ms: number[];
  /** sha256 of the classes (uint8) and the probabilities (float32 planes) of the last call. */
  labels: string;
  probabilities: string;
  /** The page's longest task while it ran (PerformanceObserver 'longtask'), ms. */
  longestTask: number;
  classes: string[];
}

const PAGE = `
import { ClassifierWorkers, parseClassifierBytes } from '@fairio/model-runner/browser';
const hex = async (a) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', a))].map((b) => b.toString(16).padStart(2, '0')).join('');
window.runClassifier = async ({ workers, repeats }) => {
  const classifier = parseClassifierBytes(new Uint8Array(await (await fetch('/two.fairio-rf')).arrayBuffer()), 'two.fairio-rf');
  const pixels = new Uint8Array(await (await fetch('/pixels.u8')).arrayBuffer());
  const plane = ${N} * ${N};
  const channels = [pixels.subarray(0, plane), pixels.subarray(plane)];
  const pool = new ClassifierWorkers(() => new Worker('/worker.js'), workers);
  let longestTask = 0;
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => (longestTask = Math.max(longestTask, e.duration))));
  observer.observe({ type: 'longtask' });
  const ms = [];
  let result;
  try {
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      result = await pool.classify({ key: 'two', classifier }, channels, [${N}, ${N}]);
      ms.push(performance.now() - t0);
    }
  } finally {
    pool.terminate();
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { ms, labels: await hex(result.labels), probabilities: await hex(result.probabilities), longestTask, classes: classifier.classes.map((c) => c.name) };
};
`;

export interface ClassifierPage {
  dir: string;
  image: string;
  classifierFile: string;
  /** What the `fairio classify predict --probabilities` process wrote, and its wall time. */
  cli: { labels: Uint8Array; probabilities: Float32Array; ms: number };
  /** Size of the bundled entry alone, bytes; its code (checked for Node built-ins by the test). */
  entryCode: string;
  browser: BrowserSession;
  classify(workers: number, repeats: number): Promise<PageRun>;
  close(): Promise<void>;
}

export async function openClassifierPage(): Promise<ClassifierPage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-pc-page-'));
  let server: StaticServer | undefined;
  let browser: BrowserSession | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const a = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [0, 0], [N, N]);
    const b = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [256, 256], [256 + N, 256 + N]);
    const pixels = new Uint8Array(2 * N * N);
    pixels.set(a.data, 0);
    pixels.set(b.data, N * N);
    fs.writeFileSync(path.join(dir, 'pixels.u8'), pixels);
    const image = path.join(dir, 'two.ome.zarr');
    const cyx = [{ name: 'c', type: 'channel' as const }, { name: 'y', type: 'space' as const }, { name: 'x', type: 'space' as const }];
    await writeImage(image, arraySource(pixels, [2, N, N], 'uint8'), { axes: cyx, workers: 0 });
    const labels = new Uint8Array(N * N);
    for (let i = 0; i < labels.length; i += 37) labels[i] = a.data[i] < 30 ? 1 : a.data[i] > 90 ? 3 : b.data[i] > 60 ? 2 : 0;
    await writeImage(path.join(dir, 'scribbles.ome.zarr'), arraySource(labels, [N, N], 'uint8'), { axes: cyx.slice(1), imageLabel: {}, workers: 0 });
    const classifierFile = path.join(dir, 'two.fairio-rf');
    await run('node', [fairio, 'classify', 'train', '--image', image, '--labels', path.join(dir, 'scribbles.ome.zarr'), '-o', classifierFile, '--class-names', 'background,dim,bright'], { cwd: dir });
    const t0 = performance.now();
    await run('node', [fairio, 'classify', 'predict', '--classifier', classifierFile, image, path.join(dir, 'cli.ome.zarr'), '--probabilities'], { cwd: dir });
    const ms = performance.now() - t0;
    const read = async (location: string) => (await (await openOmeZarr(location)).image()).readRegion();
    const cli = { probabilities: (await read(path.join(dir, 'cli.ome.zarr'))).data as Float32Array, labels: (await read(path.join(dir, 'cli.ome.zarr', 'labels', 'segmentation'))).data as Uint8Array, ms };

    // The bundles, from the built package as a web app's bundler sees it.
    const common = { bundle: true, write: false, platform: 'browser' as const, target: 'es2022', logLevel: 'silent' as const, absWorkingDir: projectRoot };
    const bundle = async (contents: string, format: 'esm' | 'iife') => (await build({ ...common, stdin: { contents, resolveDir: modelRunnerDist }, format })).outputFiles![0].text;
    const entryCode = await bundle("export * from '@fairio/model-runner/browser';", 'esm');
    fs.writeFileSync(path.join(dir, 'worker.js'), await bundle("import { serveClassifierWorker } from '@fairio/model-runner/browser'; serveClassifierWorker(self);", 'iife'));
    fs.writeFileSync(path.join(dir, 'page.js'), await bundle(PAGE, 'esm'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>classifier</title><script type="module" src="/page.js"></script>');
    server = await serveFolder(dir);
    browser = await openBrowser();
    const page = browser.page;
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => typeof (window as unknown as { runClassifier?: unknown }).runClassifier === 'function', undefined, { timeout: 60_000 });
    return {
      dir,
      image,
      classifierFile,
      cli,
      entryCode,
      browser,
      classify: (workers, repeats) => page.evaluate(({ workers, repeats }) => (window as unknown as { runClassifier(o: object): Promise<PageRun> }).runClassifier({ workers, repeats }), { workers, repeats }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
