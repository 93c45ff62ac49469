/**
 * Pixel-classifier benchmark: the full ilastik feature bank (49 features in
 * 2D) plus random-forest prediction (100 trees) over a 4096 × 4096 image,
 * fairio (`classify predict`, block by block on all cores, written as
 * OME-Zarr) against the Python reference in the same run (vigra features
 * as ilastik computes them + scikit-learn RandomForestClassifier
 * predict_proba with n_jobs = all cores, same features, same labels, same
 * number of trees), with the peak memory of each.
 *
 *   npx tsx tests/bench/classify.ts [size=4096]
 *   FAIRIO_BENCH_KEEP=1 npx tsx tests/bench/classify.ts 1024   # keep the image and classifier (path on stderr)
 *
 * The image is BBBC033 (nuclei) mirrored to 4096 × 4096; scribbles are drawn
 * in its top-left 1024 × 1024 corner (as a user would label a small region).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arraySource, openTiff, tiffSource, writeImage } from '@fairio/ngff';
import { runNode } from '../../model-runner/src/run.js';
import { classifyPredict, classifyTrain } from '../../model-runner/src/pixel-classifier/nodes.js';
import { featureChannels, fullSelection, smoothField } from '../../model-runner/src/pixel-classifier/features/bank.js';
import { field } from '../../model-runner/src/pixel-classifier/features/field.js';
import { scribbles, referenceScript } from '../../model-runner/src/pixel-classifier/__fixtures__/images.js';
import { shared } from '../helpers/reference.js';
import { systemPythonPath } from '../helpers/system-python.js';

const here = fileURLToPath(import.meta.url);
const yx = [{ name: 'y', type: 'space' as const }, { name: 'x', type: 'space' as const }];

async function child(): Promise<void> {
  // `classify predict` alone in its own process, so its peak memory is its own.
  const [, , , classifier, image, output] = process.argv;
  const t0 = performance.now();
  await runNode(classifyPredict, { inputs: { classifier, image }, parameters: {}, outputs: { output } });
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 4096);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bench-classify-'));
  try {
    const tiff = await openTiff(shared('samples', 'tiff', 'BBBC033_C2_z28-lzw.tiff'));
    const source = tiffSource(tiff.series[0]);
    const [sy, sx] = source.shape.slice(-2);
    const base = (await source.read(source.shape.map(() => 0), source.shape)) as Uint8Array;
    await tiff.close();
    const pixels = new Uint8Array(size * size);
    const mirror = (i: number, n: number) => {
      const p = i % (2 * n);
      return p < n ? p : 2 * n - 1 - p;
    };
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = base[mirror(y, sy) * sx + mirror(x, sx)];
    const imagePath = path.join(dir, 'image.ome.zarr');
    await writeImage(imagePath, arraySource(pixels, [size, size], 'uint8'), { axes: yx });

    // Scribbles in the top-left corner (around the nuclei of BBBC033).
    const corner = Math.min(1024, size);
    const cornerImage = { data: new Float32Array(corner * corner), shape: [corner, corner] };
    for (let y = 0; y < corner; y++) for (let x = 0; x < corner; x++) cornerImage.data[y * corner + x] = pixels[y * size + x];
    const smooth = smoothField(field(cornerImage.data, cornerImage.shape), 2, 3, [0, 0], cornerImage.shape).data;
    const { train } = scribbles(cornerImage, smooth, [20, 60]);
    const labels = new Uint8Array(size * size);
    for (let y = 0; y < corner; y++) labels.set(train.subarray(y * corner, (y + 1) * corner), y * size);
    fs.mkdirSync(path.join(imagePath, 'labels'));
    fs.writeFileSync(path.join(imagePath, 'labels', 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', labels: ['scribbles'] } } }));
    await writeImage(path.join(imagePath, 'labels', 'scribbles'), arraySource(labels, [size, size], 'uint8'), { axes: yx, imageLabel: {}, downsampling: 'mode' });

    const classifier = path.join(dir, 'bench.fairio-rf');
    let t0 = performance.now();
    const trained = await runNode(classifyTrain, { inputs: { image: imagePath, labels: `${imagePath}/labels/scribbles` }, parameters: { seed: 1 }, outputs: { classifier } });
    const trainSeconds = (performance.now() - t0) / 1000;

    const run = spawnSync(process.execPath, ['--import', 'tsx', here, 'predict-child', classifier, imagePath, path.join(dir, 'seg.ome.zarr')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`fairio predict failed: ${run.stderr}`);
    const fairio = JSON.parse(run.stdout.trim().split('\n').pop()!) as { seconds: number; peakRssMiB: number };

    // Reference: the same image, the same training labels, the same features and number of trees.
    fs.writeFileSync(path.join(dir, 'image.f32'), Float32Array.from(pixels));
    fs.writeFileSync(path.join(dir, 'train.u8'), labels);
    fs.writeFileSync(path.join(dir, 'held.u8'), new Uint8Array(size * size));
    const pairs = featureChannels(fullSelection(), 1, 2).filter((c) => c.component === 0).map((c) => [c.feature, c.scale]);
    fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ features: pairs, trees: 100, seed: 1, jobs: os.availableParallelism() }));
    t0 = performance.now();
    const ref = spawnSync(systemPythonPath, [referenceScript, 'pipeline', path.join(dir, 'image.f32'), `${size},${size}`, path.join(dir, 'train.u8'), path.join(dir, 'held.u8'), path.join(dir, 'ref'), path.join(dir, 'spec.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (ref.status !== 0) throw new Error(`reference failed: ${ref.stderr}`);
    const reference = JSON.parse(ref.stdout.trim().split('\n').pop()!) as { featureSeconds: number; trainSeconds: number; predictSeconds: number; peakRssMiB: number };

    const megapixels = (size * size) / 1e6;
    const refSeconds = reference.featureSeconds + reference.predictSeconds;
    const result = {
      image: `${size} × ${size} (${megapixels.toFixed(1)} MP), uint8, BBBC033 mirrored`,
      cores: os.availableParallelism(),
      features: 49,
      trees: 100,
      labelledPixels: trained.result.summary?.labelledPixels,
      fairio: { trainSeconds, predictSeconds: fairio.seconds, megapixelsPerSecond: megapixels / fairio.seconds, peakRssMiB: fairio.peakRssMiB },
      reference: { ...reference, megapixelsPerSecond: megapixels / refSeconds },
      speedup: refSeconds / fairio.seconds,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (process.env.FAIRIO_BENCH_KEEP) console.error(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'predict-child') await child();
else await main();
