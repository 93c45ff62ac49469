/**
 * The pixel classifier in the browser against the command line's code path,
 * in the same run: a 512 × 512 2-channel image, every ilastik feature at
 * every scale (98 features), 100 trees (tests/jupyterlab/classifier-page.ts
 * sets it up: trained and predicted by the CLI, bundled with esbuild for the
 * browser). Each round, in alternating order: model-runner's built
 * `BlockRunner` (what `fairio classify predict` runs: one 512² block on a
 * worker thread) and the bundled browser code in headless Chromium on 1 and on
 * 2 web workers. Every result is checked against the CLI's output first.
 * Prints medians and ratios; only ratios mean anything on a shared machine.
 *
 *   npx tsx tests/bench/classify-browser.ts [rounds=5]     (after npx tsc -b)
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { modelRunnerDist, N, openClassifierPage } from '../jupyterlab/classifier-page.js';

const sha256 = (data: ArrayBufferView) => createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const page = await openClassifierPage();
  try {
    const { BlockRunner, openImageInput, readClassifier } = (await import(pathToFileURL(path.join(modelRunnerDist, 'pixel-classifier', 'index.js')).href)) as typeof import('../../model-runner/src/pixel-classifier/index.js');
    const { classifier } = await readClassifier(page.classifierFile);
    const input = await openImageInput(page.image);
    const expected = sha256(page.cli.probabilities);
    const times: Record<string, number[]> = { node: [], browser1: [], browser2: [] };
    const longest: number[] = [];
    const node = async () => {
      const runner = new BlockRunner(input, classifier.selection, { workers: 1, forest: classifier.forest });
      try {
        const t0 = performance.now();
        const p = await runner.run('probabilities', 0, [0, 0, 0], [1, N, N]);
        times.node.push(performance.now() - t0);
        if (sha256(p) !== expected) throw new Error('BlockRunner differs from fairio classify predict');
      } finally {
        await runner.close();
      }
    };
    const browser = async (workers: 1 | 2) => {
      const result = await page.classify(workers, 1);
      if (result.probabilities !== expected) throw new Error(`the browser on ${workers} worker(s) differs from fairio classify predict`);
      times[`browser${workers}`].push(result.ms[0]);
      longest.push(result.longestTask);
    };
    for (let round = 0; round < rounds; round++) {
      const steps = [node, () => browser(1), () => browser(2)];
      for (const step of round % 2 === 0 ? steps : steps.reverse()) await step();
      process.stderr.write(`round ${round + 1}/${rounds}: node ${times.node.at(-1)!.toFixed(0)} ms, browser 1 worker ${times.browser1.at(-1)!.toFixed(0)} ms, 2 workers ${times.browser2.at(-1)!.toFixed(0)} ms\n`);
    }
    await input.close();
    const [n, b1, b2] = [median(times.node), median(times.browser1), median(times.browser2)];
    console.log(`pixel classifier, ${N}×${N}×2 channels, ${classifier.forest.featureCount} features, ${classifier.forest.roots.length} trees; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}; medians of ${rounds}:`);
    console.log(`  Node BlockRunner (fairio classify predict's path)  ${n.toFixed(0)} ms`);
    console.log(`  Chromium, 1 web worker                             ${b1.toFixed(0)} ms  = ${(b1 / n).toFixed(2)}× Node`);
    console.log(`  Chromium, 2 web workers                            ${b2.toFixed(0)} ms  = ${(b2 / n).toFixed(2)}× Node`);
    console.log(`  longest task on the page thread                    ${Math.max(...longest).toFixed(0)} ms`);
    console.log(`  (the whole \`fairio classify predict\` process, once: ${page.cli.ms.toFixed(0)} ms)`);
  } finally {
    await page.close();
  }
}

await main();
