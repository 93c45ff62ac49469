/**
 * ImageJ macro node: many images through one JVM against one ImageJ per
 * image (`node node_modules/tsx/dist/cli.mjs tests/bench/imagej-batch.ts`).
 *
 * Runs the recorded-style macro (blur, threshold, Analyze Particles) on
 * FAIRIO_BENCH_IMAGES (default 20) small images (the sample.tiff,
 * 329 × 265, under different names: small jobs are where start-up dominates;
 * FAIRIO_BENCH_IMAGE names another 2D image)
 * once as one batch (one JVM) and once as separate runs (one JVM each),
 * alternating which goes first over FAIRIO_BENCH_REPEATS rounds (default 2,
 * best of each counts). Checks that both give the same Results tables, prints
 * the times, ImageJ's start-up cost per run and the ratio, and writes
 * tests/bench/results/imagej-batch.json. The target: the batch is at
 * least 5× faster; FAIRIO_BENCH_STRICT=1 exits 1 when it is not. Only ratios
 * from the same run mean anything on a shared machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMacro } from '../../model-runner/src/imagej/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const samples = path.resolve(here, '..', '..', '..', 'shared', 'data', 'samples', 'tiff');
const TARGET = 5;
const count = Number(process.env.FAIRIO_BENCH_IMAGES ?? 20);
const repeats = Number(process.env.FAIRIO_BENCH_REPEATS ?? 2);
const MACRO = 'run("Gaussian Blur...", "sigma=2");\nsetAutoThreshold("Default dark");\nrun("Convert to Mask");\nrun("Analyze Particles...", "display clear");\n';

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bench-imagej-'));
  try {
    const pool = [process.env.FAIRIO_BENCH_IMAGE ?? path.join(samples, 'sample.tiff')];
    // Distinct names, so each image gets its own output folder.
    const images = Array.from({ length: count }, (_, i) => {
      const link = path.join(tmp, `image-${String(i).padStart(2, '0')}.tiff`);
      fs.symlinkSync(pool[i % pool.length], link);
      return link;
    });
    const macro = path.join(tmp, 'count.ijm');
    fs.writeFileSync(macro, MACRO);
    const table = (out: string, image: string) => fs.readFileSync(path.join(out, path.basename(image, '.tiff'), 'results.csv'), 'utf8');

    let batchBest = Infinity;
    let separateBest = Infinity;
    let imagejStartup = Infinity;
    for (let r = 0; r < repeats; r++) {
      const order = r % 2 === 0 ? ['batch', 'separate'] : ['separate', 'batch'];
      for (const kind of order) {
        const out = path.join(tmp, `${kind}-${r}`);
        const started = process.hrtime.bigint();
        if (kind === 'batch') {
          await runMacro({ macro, images, output: out, timeoutSeconds: 120 });
        } else {
          fs.mkdirSync(out);
          for (const [i, image] of images.entries()) {
            const one = await runMacro({ macro, images: [image], output: path.join(out, `run-${i}`), timeoutSeconds: 120 });
            imagejStartup = Math.min(imagejStartup, one.imagejSeconds);
            fs.renameSync(path.join(out, `run-${i}`, path.basename(image, '.tiff')), path.join(out, path.basename(image, '.tiff')));
          }
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (kind === 'batch') batchBest = Math.min(batchBest, seconds);
        else separateBest = Math.min(separateBest, seconds);
        console.error(`[bench] ${kind} (${count} images, round ${r + 1}): ${seconds.toFixed(2)} s`);
      }
      for (const image of images) {
        if (table(path.join(tmp, `batch-${r}`), image) !== table(path.join(tmp, `separate-${r}`), image)) throw new Error(`Results differ between batch and separate runs for ${image}`);
      }
    }
    const ratio = separateBest / batchBest;
    const summary = {
      images: count,
      batchSeconds: Number(batchBest.toFixed(3)),
      separateSeconds: Number(separateBest.toFixed(3)),
      perImageBatchSeconds: Number((batchBest / count).toFixed(3)),
      perImageSeparateSeconds: Number((separateBest / count).toFixed(3)),
      imagejSecondsOneImage: Number(imagejStartup.toFixed(3)),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET,
      cpus: os.cpus().length,
      date: new Date().toISOString(),
    };
    console.log(
      [
        `ImageJ macro on ${count} images:`,
        `  one JVM for all:  ${summary.batchSeconds} s (${summary.perImageBatchSeconds} s per image)`,
        `  one JVM per image: ${summary.separateSeconds} s (${summary.perImageSeparateSeconds} s per image; ImageJ itself ${summary.imagejSecondsOneImage} s of it)`,
        `  ratio ${summary.ratio}× (target ≥ ${TARGET}×)`,
      ].join('\n'),
    );
    fs.mkdirSync(path.join(here, 'results'), { recursive: true });
    fs.writeFileSync(path.join(here, 'results', 'imagej-batch.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (process.env.FAIRIO_BENCH_STRICT === '1' && ratio < TARGET) process.exit(1);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
