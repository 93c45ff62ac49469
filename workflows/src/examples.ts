/**
 * The example workflows in `workflows/examples/` and the small test data
 * their planemo tests use, made from fairio's own seeded synthetic sample
 * (so the project ships no third-party images). `npx tsx
 * workflows/src/examples.ts` rewrites each example's `.ga` and
 * `.dockstore.yml` from its gxformat2 source; `--test-data` rewrites the
 * test data too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleOmeXml, syntheticSample, writeTiff } from '@fairio/ngff';
import { bioimageio } from '@fairio/model-runner';
import { writeIwcDirectory } from './export/iwc.js';

/** `workflows/examples` (beside `src/` and `dist/`). */
export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');

export const EXAMPLES = ['nuclei-segmentation', 'pixel-classification', 'fiji-measurement'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** The example's folder (IWC layout: workflow, `<name>-tests.yml`, `test-data/`, README, CHANGELOG, .dockstore.yml). */
export function exampleDir(name: ExampleName): string {
  return path.join(EXAMPLES_DIR, name);
}

/** The example's gxformat2 source. */
export function exampleWorkflow(name: ExampleName): string {
  return path.join(exampleDir(name), `${name}.gxwf.yml`);
}

/** A macro as Fiji's recorder writes it: smooth, threshold (Otsu), mask, measure every particle. */
export const PARTICLE_MACRO = ['run("Gaussian Blur...", "sigma=1");', 'setAutoThreshold("Otsu dark");', 'run("Convert to Mask");', 'run("Analyze Particles...", "display clear");', ''].join('\n');

/** The nuclei channel of one plane of a synthetic sample, as a plain one-plane TIFF. */
async function nucleiPlane(file: string, size: number, seed: number): Promise<ReturnType<typeof syntheticSample>> {
  const sample = syntheticSample({ width: size, height: size, depth: 1, seed });
  const plane = sample.planes().next().value as Uint16Array;
  await writeTiff(file, [plane], { width: size, height: size, dtype: 'uint16', planeCount: 1 });
  return sample;
}

/** Sparse labels on a sample: a small square at each nucleus centre (class 2) and a grid of background points far from every nucleus (class 1). */
async function scribbles(file: string, sample: ReturnType<typeof syntheticSample>): Promise<void> {
  const { width, height } = sample;
  const labels = new Uint8Array(width * height);
  for (const n of sample.nuclei) {
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) labels[(Math.round(n.y) + dy) * width + Math.round(n.x) + dx] = 2;
  }
  for (let y = 4; y < height; y += 8) {
    for (let x = 4; x < width; x += 8) {
      if (sample.nuclei.every((n) => Math.hypot(x - n.x, y - n.y) > 2 * n.radii[0])) labels[y * width + x] = 1;
    }
  }
  await writeTiff(file, [labels], { width, height, dtype: 'uint8', planeCount: 1 });
}

/** Write every example's test data (a few hundred KiB in all). */
export async function writeExampleTestData(root = EXAMPLES_DIR): Promise<void> {
  const data = (name: ExampleName) => {
    const dir = path.join(root, name, 'test-data');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  // (1) nuclei segmentation: a two-channel z-stack (OME-TIFF) and fairio's demo bioimage.io model.
  const nuclei = data('nuclei-segmentation');
  const sample = syntheticSample({ width: 128, height: 128, depth: 2 });
  await writeTiff(path.join(nuclei, 'nuclei.ome.tiff'), sample.planes(), {
    width: sample.width,
    height: sample.height,
    dtype: 'uint16',
    planeCount: sample.depth * sample.channels.length,
    description: sampleOmeXml(sample, 'fairio synthetic nuclei'),
  });
  await bioimageio.packageDemoModel(path.join(nuclei, 'nuclei-model.zip'), { overwrite: true });
  // (2) pixel classification: one training image with scribbles, two images to classify.
  const pixel = data('pixel-classification');
  await scribbles(path.join(pixel, 'scribbles.tiff'), await nucleiPlane(path.join(pixel, 'train.tiff'), 96, 11));
  await nucleiPlane(path.join(pixel, 'cells-a.tiff'), 96, 12);
  await nucleiPlane(path.join(pixel, 'cells-b.tiff'), 96, 13);
  // (3) Fiji macro measurement: a recorded macro and two images.
  const fiji = data('fiji-measurement');
  fs.writeFileSync(path.join(fiji, 'count-particles.ijm'), PARTICLE_MACRO);
  await nucleiPlane(path.join(fiji, 'cells-a.tiff'), 96, 12);
  await nucleiPlane(path.join(fiji, 'cells-b.tiff'), 96, 13);
}

/** Each example's `.ga` and `.dockstore.yml`, made from its gxformat2 source (what a test checks is current). */
export function writeExampleWorkflows(root = EXAMPLES_DIR): void {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-examples-'));
  try {
    for (const name of EXAMPLES) {
      const iwc = writeIwcDirectory({ workflowFile: path.join(root, name, `${name}.gxwf.yml`), outdir: path.join(stage, name) });
      for (const file of [`${name}.ga`, '.dockstore.yml']) fs.copyFileSync(path.join(iwc.dir, file), path.join(root, name, file));
    }
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

// `npx tsx workflows/src/examples.ts [--test-data]`: rewrite the examples' .ga and .dockstore.yml (and their test data).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--test-data')) await writeExampleTestData();
  writeExampleWorkflows();
}
