/**
 * Micro-benchmark of the float32 pixel kernels against the JavaScript loops
 * they replace (`npx tsx tests/bench/kernels.ts`): Blosc's 4-byte shuffle and
 * unshuffle of one 448² float32 block (784 KiB, the prediction's chunk), the
 * display range's min/max and the pyramid's 2×2 mean of the same block. Each
 * side runs in its own child process (FAIRIO_SIMD=0 turns the kernels off for
 * the process), alternating, FAIRIO_BENCH_REPEATS rounds (default 5); MB/s of
 * input per wall second, the median over the rounds. The min/max without
 * SIMD is write-image's loop, copied here (it is not exported).
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { simdAvailable } from '../../ngff/src/kernels/index.js';
import { minMaxFloat32 } from '../../ngff/src/kernels/index.js';
import { downsampleBlock } from '../../ngff/src/write/downsample.js';
import { shuffleBlock, unshuffleBlock } from '../../ngff/src/zarr/blosc.js';

const SIDE = 448;
const REPEATS = Number(process.env.FAIRIO_BENCH_REPEATS ?? 5);
type Rates = Record<string, number>;

/** MB/s of `bytes` input for `run`, timed over at least 0.25 s after a warm-up. */
function rate(bytes: number, run: () => void): number {
  for (let i = 0; i < 20; i++) run();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 250) {
    run();
    n++;
    elapsed = performance.now() - start;
  }
  return (bytes * n) / (elapsed / 1000) / 1e6;
}

function child(): Rates {
  const pixels = new Float32Array(SIDE * SIDE);
  let s = 0x9e3779b9;
  for (let i = 0; i < pixels.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    pixels[i] = 1 / (1 + Math.exp(8 * ((s >>> 0) / 2 ** 32 - 0.5))); // sigmoid-like, as the prediction
  }
  const bytes = new Uint8Array(pixels.buffer);
  const shuffled = new Uint8Array(bytes.length);
  const back = new Uint8Array(bytes.length);
  let sink = 0;
  const minMaxLoop = () => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    sink += lo + hi;
  };
  const simd = simdAvailable();
  return {
    shuffle4: rate(bytes.length, () => shuffleBlock(bytes, shuffled, 4)),
    unshuffle4: rate(bytes.length, () => unshuffleBlock(shuffled, back, 4)),
    minmaxF32: rate(bytes.length, simd ? () => void (sink += minMaxFloat32(pixels, 0, pixels.length)![0]) : minMaxLoop),
    mean2x2F32: rate(bytes.length, () => void downsampleBlock(pixels, [SIDE, SIDE], 'mean')),
    sink,
  };
}

function main(): void {
  if (process.argv[2] === '--child') return void console.log(JSON.stringify(child()));
  const runs: Record<'js' | 'simd', Rates[]> = { js: [], simd: [] };
  const load = os.loadavg()[0];
  for (let r = 0; r < REPEATS; r++) {
    for (const side of r % 2 ? (['simd', 'js'] as const) : (['js', 'simd'] as const)) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], {
        encoding: 'utf8',
        env: { ...process.env, FAIRIO_SIMD: side === 'js' ? '0' : '1' },
      });
      if (out.status !== 0) throw new Error(out.stderr);
      runs[side].push(JSON.parse(out.stdout.trim().split('\n').pop()!) as Rates);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`| kernel (448² float32 block, 784 KiB) | JavaScript (MB/s) | WebAssembly SIMD (MB/s) | speed-up |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const name of ['shuffle4', 'unshuffle4', 'minmaxF32', 'mean2x2F32']) {
    const js = median(runs.js.map((r) => r[name]));
    const simd = median(runs.simd.map((r) => r[name]));
    console.log(`| ${name} | ${js.toFixed(0)} | ${simd.toFixed(0)} | ${(simd / js).toFixed(2)}× |`);
  }
  console.log(`\nmedian of ${REPEATS} rounds, sides alternating; load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
}

main();
