// The pixel classifier's browser entry (@fairio/model-runner/browser), bundled
// by esbuild for `platform: 'browser'` from the built package, run in headless
// Chromium in two web workers on a 512 × 512 2-channel image: its
// probabilities and segmentation are byte for byte what `fairio classify
// predict` (the command line, a child process) writes for the same image and
// classifier, and the page thread stays free while it runs. It also times the
// browser against the command line's own code path (model-runner's built
// BlockRunner, in this process) in the same run and prints the ratios
// (docs/architecture.md quotes them).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arraySource, openOmeZarr, writeImage } from '@fairio/ngff';
import { hasSharedData, missing, projectRoot } from '../helpers/reference.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { sampleCrop } from '../../model-runner/src/pixel-classifier/__fixtures__/images.js';
import { hasChromium, openBrowser, type BrowserSession } from './chromium.js';

const run = promisify(execFile);
const fairio = path.join(projectRoot, 'cli', 'dist', 'bin.js');
const modelRunnerDist = path.join(projectRoot, 'model-runner', 'dist');
const skip = missing('Debian chromium', hasChromium) || missing('../shared/data', hasSharedData) || missing('built packages (npx tsc -b)', fs.existsSync(path.join(modelRunnerDist, 'browser.js')) && fs.existsSync(fairio));
const N = 512;
const sha256 = (data: ArrayBufferView) => createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

interface PageRun {
  ms: number[];
  labels: string;
  probabilities: string;
  longestTask: number;
  classes: string[];
}

// The page's side: fetch the classifier and pixels, classify on `workers` web workers, hash the results.
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

describe.skipIf(skip)('the pixel classifier bundled for the browser', () => {
  let dir = '';
  let server: StaticServer;
  let browser: BrowserSession;
  let cli: { labels: Uint8Array; probabilities: Float32Array; ms: number };
  let image = '';
  let classifierFile = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-pc-bundle-'));
    const a = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [0, 0], [N, N]);
    const b = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [256, 256], [256 + N, 256 + N]);
    const pixels = new Uint8Array(2 * N * N);
    pixels.set(a.data, 0);
    pixels.set(b.data, N * N);
    fs.writeFileSync(path.join(dir, 'pixels.u8'), pixels);
    image = path.join(dir, 'two.ome.zarr');
    const cyx = [{ name: 'c', type: 'channel' as const }, { name: 'y', type: 'space' as const }, { name: 'x', type: 'space' as const }];
    await writeImage(image, arraySource(pixels, [2, N, N], 'uint8'), { axes: cyx, workers: 0 });
    const labels = new Uint8Array(N * N);
    for (let i = 0; i < labels.length; i += 37) labels[i] = a.data[i] < 30 ? 1 : a.data[i] > 90 ? 3 : b.data[i] > 60 ? 2 : 0;
    await writeImage(path.join(dir, 'scribbles.ome.zarr'), arraySource(labels, [N, N], 'uint8'), { axes: cyx.slice(1), imageLabel: {}, workers: 0 });
    classifierFile = path.join(dir, 'two.fairio-rf');
    // The command line trains (every feature at every scale, 100 trees) and predicts.
    await run('node', [fairio, 'classify', 'train', '--image', image, '--labels', path.join(dir, 'scribbles.ome.zarr'), '-o', classifierFile, '--class-names', 'background,dim,bright'], { cwd: dir });
    const t0 = performance.now();
    await run('node', [fairio, 'classify', 'predict', '--classifier', classifierFile, image, path.join(dir, 'cli.ome.zarr'), '--probabilities'], { cwd: dir });
    const ms = performance.now() - t0;
    const read = async (location: string) => (await (await openOmeZarr(location)).image()).readRegion();
    cli = { probabilities: (await read(path.join(dir, 'cli.ome.zarr'))).data as Float32Array, labels: (await read(path.join(dir, 'cli.ome.zarr', 'labels', 'segmentation'))).data as Uint8Array, ms };

    // The bundles, from the built package as a web app's bundler sees it.
    const common = { bundle: true, write: false, platform: 'browser' as const, target: 'es2022', logLevel: 'silent' as const, absWorkingDir: projectRoot };
    const entry = await build({ ...common, stdin: { contents: "export * from '@fairio/model-runner/browser';", resolveDir: modelRunnerDist }, format: 'esm' });
    const entryCode = entry.outputFiles[0].text;
    expect(entryCode).not.toMatch(/["']node:|require\(["'](fs|path|module|crypto|worker_threads)["']\)|\bBuffer\./);
    console.log(`@fairio/model-runner/browser bundle: ${(entryCode.length / 1024).toFixed(0)} KiB`);
    const worker = await build({ ...common, stdin: { contents: "import { serveClassifierWorker } from '@fairio/model-runner/browser'; serveClassifierWorker(self);", resolveDir: modelRunnerDist }, format: 'iife' });
    const page = await build({ ...common, stdin: { contents: PAGE, resolveDir: modelRunnerDist }, format: 'esm' });
    fs.writeFileSync(path.join(dir, 'worker.js'), worker.outputFiles[0].text);
    fs.writeFileSync(path.join(dir, 'page.js'), page.outputFiles[0].text);
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>classifier</title><script type="module" src="/page.js"></script>');
    server = await serveFolder(dir);
    browser = await openBrowser();
    await browser.page.goto(`${server.url}/index.html`);
    await browser.page.waitForFunction(() => typeof (window as unknown as { runClassifier?: unknown }).runClassifier === 'function', undefined, { timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const classifyInPage = (workers: number, repeats: number) =>
    browser.page.evaluate(({ workers, repeats }) => (window as unknown as { runClassifier(o: object): Promise<PageRun> }).runClassifier({ workers, repeats }), { workers, repeats });

  it('gives exactly what fairio classify predict writes, with the page thread free; timed against the CLI path', async () => {
    const two = await classifyInPage(2, 1);
    expect(two.classes).toEqual(['background', 'dim', 'bright']);
    expect(two.labels).toBe(sha256(cli.labels));
    expect(two.probabilities).toBe(sha256(cli.probabilities));
    const one = await classifyInPage(1, 1);
    expect([one.labels, one.probabilities]).toEqual([two.labels, two.probabilities]);
    // The page only cuts bands and puts them together; the features run in the workers.
    expect(two.longestTask).toBeLessThan(0.25 * two.ms[0]);
    expect(browser.errors).toEqual([]);
    expect(browser.external).toEqual([]);

    // Time (printed, not asserted: one sample each on a shared machine) the command line's own path in this
    // process: model-runner's built BlockRunner on one 512² block (the CLI's block size) on a worker thread.
    const { BlockRunner, openImageInput, readClassifier } = (await import(pathToFileURL(path.join(modelRunnerDist, 'pixel-classifier', 'index.js')).href)) as typeof import('../../model-runner/src/pixel-classifier/index.js');
    const { classifier } = await readClassifier(classifierFile);
    const input = await openImageInput(image);
    const runner = new BlockRunner(input, classifier.selection, { workers: 1, forest: classifier.forest });
    let nodeMs = 0;
    try {
      const t0 = performance.now();
      const probabilities = await runner.run('probabilities', 0, [0, 0, 0], [1, N, N]);
      nodeMs = performance.now() - t0;
      expect(sha256(probabilities)).toBe(two.probabilities);
    } finally {
      await runner.close();
      await input.close();
    }
    const [b1, b2] = [one.ms[0], two.ms[0]];
    console.log(
      `pixel classifier, ${N}×${N}×2 channels, ${classifier.forest.featureCount} features, ${classifier.forest.roots.length} trees (${os.availableParallelism()} cores, one run each): ` +
        `Node BlockRunner (the CLI's path, one 512² block, one worker thread) ${nodeMs.toFixed(0)} ms; Chromium 1 web worker ${b1.toFixed(0)} ms (${(b1 / nodeMs).toFixed(2)}× Node), ` +
        `2 web workers ${b2.toFixed(0)} ms (${(b2 / nodeMs).toFixed(2)}× Node); the whole \`fairio classify predict\` process ${cli.ms.toFixed(0)} ms; longest page task ${two.longestTask.toFixed(0)} ms`,
    );
  }, 300_000);
});
