// The pixel classifier's browser entry (@fairio/model-runner/browser), bundled
// by esbuild for `platform: 'browser'` from the built package, run in headless
// Chromium in web workers on a 512 × 512 2-channel image (classifier-page.ts):
// its probabilities and segmentation are byte for byte what `fairio classify
// predict` (the command line, a child process) writes for the same image and
// classifier, on 1 and 2 workers, and the page thread stays free while it
// runs. One timing against the command line's own code path is printed
// (tests/bench/classify-browser.ts measures it properly).
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, missing } from '../helpers/reference.js';
import { hasChromium } from './chromium.js';
import { hasBuiltClassifier, modelRunnerDist, N, openClassifierPage, type ClassifierPage } from './classifier-page.js';

const skip = missing('Debian chromium', hasChromium) || missing('../shared/data', hasSharedData) || missing('built packages (npx tsc -b)', hasBuiltClassifier);
const sha256 = (data: ArrayBufferView) => createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

describe.skipIf(skip)('the pixel classifier bundled for the browser', () => {
  let page: ClassifierPage;
  beforeAll(async () => {
    page = await openClassifierPage();
  }, 300_000);
  afterAll(async () => page?.close());

  it('gives exactly what fairio classify predict writes, with the page thread free', async () => {
    // No Node built-ins and no bare `Buffer` (protobufjs, of the bioimage.io half, only uses `util.Buffer` where one exists).
    expect(page.entryCode).not.toMatch(/["']node:|require\(["'](fs|path|module|crypto|worker_threads)["']\)|(?<![.\w])Buffer\./);
    const two = await page.classify(2, 1);
    expect(two.classes).toEqual(['background', 'dim', 'bright']);
    expect(two.labels).toBe(sha256(page.cli.labels));
    expect(two.probabilities).toBe(sha256(page.cli.probabilities));
    const one = await page.classify(1, 1);
    expect([one.labels, one.probabilities]).toEqual([two.labels, two.probabilities]);
    // The page only cuts bands and puts them together; the features run in the workers.
    expect(two.longestTask).toBeLessThan(0.25 * two.ms[0]);
    expect(page.browser.errors).toEqual([]);
    expect(page.browser.external).toEqual([]);

    // The command line's own path in this process (model-runner's built BlockRunner, one 512² block on a worker thread), same result, timed once.
    const { BlockRunner, openImageInput, readClassifier } = (await import(pathToFileURL(path.join(modelRunnerDist, 'pixel-classifier', 'index.js')).href)) as typeof import('../../model-runner/src/pixel-classifier/index.js');
    const { classifier } = await readClassifier(page.classifierFile);
    const input = await openImageInput(page.image);
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
    console.log(
      `pixel classifier ${N}×${N}×2, ${classifier.forest.featureCount} features, ${classifier.forest.roots.length} trees, ${os.availableParallelism()} cores, one run each: ` +
        `Node BlockRunner ${nodeMs.toFixed(0)} ms, Chromium 1 web worker ${one.ms[0].toFixed(0)} ms (${(one.ms[0] / nodeMs).toFixed(2)}×), 2 web workers ${two.ms[0].toFixed(0)} ms (${(two.ms[0] / nodeMs).toFixed(2)}×); ` +
        `bundle ${(page.entryCode.length / 1024).toFixed(0)} KiB; longest page task ${two.longestTask.toFixed(0)} ms`,
    );
  }, 300_000);
});
