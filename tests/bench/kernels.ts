/**
 * Micro-benchmark of the float32 pixel kernels against the JavaScript loops
 * they replace (`npx tsx tests/bench/kernels.ts`): Blosc's 4-byte shuffle and
 * unshuffle of one 448² float32 block (784 KiB, the prediction's chunk), the
 * display range's min/max and the pyramid's 2×2 mean of the same block. Each
 * side runs in its own child process (FAIRIO_SIMD=0 turns the kernels off for
 * the process), alternating, FAIRIO_BENCH_REPEATS rounds (default 5); MB/s of
 * input per wall second, the median over the rounds. The min/max without
 * SIMD is write-image's loop, copied here (it is not exported). Then, in the
 * same children, the CPU seconds of what the kernels serve in `fairio
 * predict`: writing a FAIRIO_BENCH_KERNELS_IMAGE² (default 2048) float32
 * prediction-like image as the predict node does (blosc-zstd:1 with shuffle,
 * 448² chunks, pyramid, display range) and reading level 0 back whole.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arraySource, openOmeZarr, parseCompressor, writeImage } from '../../ngff/src/index.js';
import { minMaxFloat32, simdAvailable } from '../../ngff/src/kernels/index.js';
import { downsampleBlock } from '../../ngff/src/write/downsample.js';
import { shuffleBlock, unshuffleBlock } from '../../ngff/src/zarr/blosc.js';

const SIDE = 448;
const REPEATS = Number(process.env.FAIRIO_BENCH_REPEATS ?? 5);
const IMAGE = Number(process.env.FAIRIO_BENCH_KERNELS_IMAGE ?? 2048);
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

/** A sigmoid-like float32 image of side × side pixels (smooth structure plus noise in the low bits, as a prediction). */
function prediction(side: number): Float32Array {
  const out = new Float32Array(side * side);
  let s = 0x9e3779b9;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const y = Math.floor(i / side);
    const x = i % side;
    out[i] = 1 / (1 + Math.exp(-(6 * Math.sin(x / 40) * Math.cos(y / 30) + (s >>> 0) / 2 ** 32 - 0.5)));
  }
  return out;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** CPU seconds (all threads) of writing `data` as the predict node writes its prediction, and of reading it back. */
async function writeAndRead(data: Float32Array, side: number): Promise<Rates> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bench-kernels-'));
  try {
    const out = path.join(dir, 'p.ome.zarr');
    let since = process.cpuUsage();
    await writeImage(out, arraySource(data, [side, side], 'float32'), { axes: [{ name: 'y', type: 'space' }, { name: 'x', type: 'space' }], chunks: [448, 448], compressor: parseCompressor('blosc-zstd:1') });
    const write = cpuSeconds(since);
    since = process.cpuUsage();
    const region = await (await openOmeZarr(out)).image().then((image) => image.readRegion({}));
    const read = cpuSeconds(since);
    if (region.data.length !== data.length) throw new Error('read back the wrong size');
    return { write, read };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function child(): Promise<Rates> {
  const pixels = prediction(SIDE);
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
    ...(await writeAndRead(prediction(IMAGE), IMAGE)),
    sink,
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return void console.log(JSON.stringify(await child()));
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
  console.log(`\n| ${IMAGE}² float32, as \`fairio predict\` writes and reads it | JavaScript (CPU s) | WebAssembly SIMD (CPU s) | saved |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const name of ['write', 'read']) {
    const js = median(runs.js.map((r) => r[name]));
    const simd = median(runs.simd.map((r) => r[name]));
    console.log(`| ${name} | ${js.toFixed(3)} | ${simd.toFixed(3)} | ${(js - simd).toFixed(3)} (${((1 - simd / js) * 100).toFixed(0)} %) |`);
  }
  console.log(`\nmedian of ${REPEATS} rounds, sides alternating; load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
}

await main();
