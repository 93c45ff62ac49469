/**
 * Benchmark of bioimage.io prediction (`npx tsx tests/bench/predict.ts`).
 *
 * The shared U-Net (ONNX, static 512×512 input, halo 32) on a large image
 * (FAIRIO_BENCH_PREDICT_SIZE, default 3072: the model's test input mirrored),
 * three ways, each its own child process with its peak resident memory:
 *
 * 1. fairio: `predict` node, OME-Zarr in → OME-Zarr out (model validation,
 *    session, chunk-wise reads, whole-image statistics pass, tiles,
 *    post-processing, compressed writes, pyramid, the run's crate), the full
 *    user-facing path, from the built `dist/` modules as the `fairio` command
 *    runs them (build first: `npx tsc -b`), into a new output folder each
 *    repeat (the last one's is deleted before the timer);
 * 2. bare ONNX Runtime (onnxruntime-node): creating a session with the
 *    predict node's options (ONNX Runtime's default intra-op threads, spinning
 *    off) and running it on the same tiles (same plan, same normalisation) cut
 *    from an in-memory array, one after the other — session creation is timed
 *    on both sides (fairio's run creates its session too); the whole-image
 *    statistics are computed before the timer (fairio's statistics pass is
 *    timed). fairio's overhead is (1) / (2) − 1;
 * 3. bioimageio.core `predict` with blocking (input block 512) in Python
 *    (onnxruntime 1.30, same version as the Node binding), array in → array out;
 *    its timer starts after loading the description (without file checks) and
 *    creating the pipeline with its session, and stops before saving, so it
 *    times less than fairio's run does. The comparison is made twice: the
 *    timed parts, and the whole processes (start, imports, loading, the run).
 *
 * Repeats (FAIRIO_BENCH_REPEATS, default 3) alternate the order; the median
 * (and the best) of each are reported, wall time and CPU seconds (all threads
 * of the process: ONNX Runtime's, zstd's, workers'; for bioimageio.core the
 * whole Python process, imports included). Prints a table and writes
 * tests/bench/results/predict-SIZE.json. Only ratios within one run mean anything
 * on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const unet = path.resolve(root, '..', 'shared', 'data', 'bioimageio', 'models', 'unet2d_nuclei_broad');
const description = path.join(unet, 'bioimageio.yaml');
const SIZE = Number(process.env.FAIRIO_BENCH_PREDICT_SIZE ?? 3072);
const REPEATS = Number(process.env.FAIRIO_BENCH_REPEATS ?? 3);

interface Measured {
  seconds: number;
  /** CPU seconds (user + system) of the timed part, all threads. */
  cpuSeconds: number;
  maxRssMb: number;
  tiles?: number;
}

async function mr() {
  return import('../../model-runner/src/bioimageio/index.js');
}

/** The test input mirrored to SIZE × SIZE (float32, [1, 1, SIZE, SIZE]). */
async function bigImage() {
  const { readNpy } = await mr();
  const test = readNpy(fs.readFileSync(path.join(unet, 'test_input.npy')));
  const [, , h, w] = test.shape;
  const out = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    const sy = Math.floor(y / h) % 2 ? h - 1 - (y % h) : y % h;
    for (let x = 0; x < SIZE; x++) {
      const sx = Math.floor(x / w) % 2 ? w - 1 - (x % w) : x % w;
      out[y * SIZE + x] = Number(test.data[sy * w + sx]);
    }
  }
  return { data: out, shape: [1, 1, SIZE, SIZE], dtype: 'float32' as const };
}

/** The packages fairio's run loads, built (`npx tsc -b`): the child runs `dist/` as the `fairio` command does. */
const BUILT = ['ngff', 'provenance', 'model-runner'];

/** Refuse to time a stale build: every source file must be older than its package's last build. */
function checkBuilt(): void {
  for (const pkg of BUILT) {
    const info = path.join(root, pkg, 'dist', '.tsbuildinfo');
    if (!fs.existsSync(info)) throw new Error(`${pkg} is not built; run \`npx tsc -b\` first`);
    const built = fs.statSync(info).mtimeMs;
    const newer = (fs.readdirSync(path.join(root, pkg, 'src'), { recursive: true }) as string[]).find((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && fs.statSync(path.join(root, pkg, 'src', f)).mtimeMs > built);
    if (newer) throw new Error(`${pkg}/dist is older than ${pkg}/src/${newer}; run \`npx tsc -b\` first`);
  }
}

/**
 * fairio's run in a plain `node` (no tsx loader: the built modules, as the
 * `fairio` command runs them), printing its Measured as JSON.
 */
function fairioScript(image: string, out: string): string {
  const dist = (p: string) => JSON.stringify(pathToFileURL(path.join(root, 'model-runner', 'dist', p)).href);
  return `
const { runNode } = await import(${dist('run.js')});
const { predictNode } = await import(${dist('bioimageio/index.js')});
const start = performance.now();
const cpu = process.cpuUsage();
const { result } = await runNode(predictNode, { inputs: { model: ${JSON.stringify(description)}, image: ${JSON.stringify(image)} }, outputs: { prediction: ${JSON.stringify(out)} }, parameters: {} });
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, tiles: result.summary.tilesPerSample }));
`;
}

async function childBare(npy: string): Promise<Measured> {
  const m = await mr();
  const { model } = await m.loadModel(description);
  const array = m.readNpy(fs.readFileSync(npy));
  const stats = await m.inputStats(model, [array]);
  const pre = m.processingFor(model.inputs[0]);
  const plan = m.planTiles(model, model.inputs[0], array.shape, {});
  const access = m.arrayAccess(array);
  const start = performance.now();
  const cpu = process.cpuUsage();
  // Creating the session is timed, as it is in fairio's run (like for like: a bare ONNX Runtime session run is
  // creating the session and running it on the tiles). The session options of fairio's predict node (intra-op
  // threads: ONNX Runtime's default, one per core; no spinning).
  const onnx = await m.openOnnxModel(path.join(unet, model.onnx!.source), { spinning: false });
  let tiles = 0;
  for (const tile of m.tiles(plan)) {
    const raw = await m.readPadded(access, tile.regionStart, plan.tileShape, model.inputs[0].pad);
    const input = m.applyOps(pre.ops, { ...raw, axes: ['batch', 'channel', 'y', 'x'] }, stats, true); // in place, as fairio does
    await onnx.run([input]);
    tiles++;
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  await onnx.release();
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, tiles };
}

/** A child process's Measured, with the wall time of the whole process (Node's start, imports, the run, exit). */
function runChild(args: string[]): Measured & { wall: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, args[0] === '--child-fairio' ? ['--input-type=module', '-e', fairioScript(args[1], args[2])] : ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed:\n${r.stderr}`);
  return { ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured), wall: (performance.now() - start) / 1000 };
}

function runCore(npy: string, out: string): Measured & { wall: number } {
  const start = performance.now();
  // /usr/bin/time reports the Python process's CPU seconds (imports included) on stderr's last line.
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', path.join(root, '.venv', 'bin', 'python'), path.join(root, 'tests', 'helpers', 'bioimageio_reference.py'), 'predict', description, npy, out, '--block', '512'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bioimageio.core failed:\n${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; max_rss_mb: number };
  const [user, system] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds: j.seconds, cpuSeconds: user + system, maxRssMb: j.max_rss_mb, wall: (performance.now() - start) / 1000 };
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--child-bare') return void console.log(JSON.stringify(await childBare(rest[0])));

  if (!fs.existsSync(description)) throw new Error(`the shared U-Net is missing: ${unet}`);
  checkBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bench-predict-'));
  const image = await bigImage();
  const m = await mr();
  const npy = path.join(dir, 'image.npy');
  fs.writeFileSync(npy, m.writeNpy(image));
  const { writeImage, arraySource } = await import('../../ngff/src/index.js');
  const zarr = path.join(dir, 'image.ome.zarr');
  await writeImage(zarr, arraySource(image.data, [SIZE, SIZE], 'float32'), { axes: [{ name: 'y', type: 'space' }, { name: 'x', type: 'space' }], chunks: [512, 512] });
  console.error(`image ${SIZE}×${SIZE} float32 (${((SIZE * SIZE * 4) / 2 ** 20).toFixed(0)} MiB), U-Net tiles 512 with halo 32, ${os.cpus().length} cores`);

  const loadAtStart = os.loadavg();
  const runs: Record<string, (Measured & { wall?: number })[]> = { fairio: [], bare: [], core: [] };
  const keep = (name: string, r: Measured & { wall?: number }) => {
    runs[name].push(r);
    console.error(`  ${name}: ${r.seconds.toFixed(2)} s, ${r.cpuSeconds.toFixed(2)} CPU s, peak ${r.maxRssMb.toFixed(0)} MiB`);
  };
  const prediction = path.join(dir, 'prediction.ome.zarr');
  for (let i = 0; i < REPEATS; i++) {
    const order = i % 2 ? ['core', 'bare', 'fairio'] : ['fairio', 'bare', 'core'];
    for (const name of order) {
      if (name === 'fairio') {
        // A new output each time, as a user's run writes one: replacing an existing output (--overwrite) would add
        // deleting the last repeat's files to the timed part. The last prediction is kept for the comparison below.
        fs.rmSync(prediction, { recursive: true, force: true });
        keep(name, runChild(['--child-fairio', zarr, prediction]));
      }
      if (name === 'bare') keep(name, runChild(['--child-bare', npy]));
      if (name === 'core') keep(name, runCore(npy, path.join(dir, 'core.npy')));
    }
  }
  // The two predictions must agree (bioimageio.core's pass rule) for the timings to mean anything.
  const { openOmeZarr } = await import('../../ngff/src/index.js');
  const ours = await (await openOmeZarr(prediction)).image();
  const region = await ours.readRegion({});
  const core = m.readNpy(fs.readFileSync(path.join(dir, 'core.npy')));
  const agreement = m.compareTensors({ data: region.data as Float32Array, shape: [1, 1, SIZE, SIZE], dtype: 'float32' }, core, { absolute: 1e-3, relative: 1e-3, mismatchedPerMillion: 100 });

  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  /** Medians of each field over the repeats (the best time kept beside them). */
  const summarise = (rs: (Measured & { wall?: number })[]) => ({
    seconds: median(rs.map((r) => r.seconds)),
    best: Math.min(...rs.map((r) => r.seconds)),
    cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
    maxRssMb: median(rs.map((r) => r.maxRssMb)),
    tiles: rs[0].tiles,
    wall: rs[0].wall === undefined ? undefined : median(rs.map((r) => r.wall!)),
    runs: rs.map((r) => ({ seconds: r.seconds, cpuSeconds: r.cpuSeconds })),
  });
  const f = summarise(runs.fairio);
  const b = summarise(runs.bare);
  const c = summarise(runs.core);
  const result = {
    date: new Date().toISOString(),
    size: SIZE,
    cores: os.cpus().length,
    tiles: b.tiles,
    fairio: f,
    bareOnnxRuntime: b,
    bioimageioCore: c,
    repeats: REPEATS,
    overhead: f.seconds / b.seconds - 1,
    cpuOverhead: f.cpuSeconds / b.cpuSeconds - 1,
    bareTimes: 'session creation + tiles (session creation timed on both sides; input statistics before the timer)',
    loadAverage: { start: loadAtStart, end: os.loadavg() },
    speedupVsCore: c.seconds / f.seconds,
    /** Whole processes, as a user waits for them: Node or Python starting, imports, loading the model, the run. */
    processSpeedupVsCore: c.wall! / f.wall!,
    agreement: { maxAbsDiff: agreement.maxAbsDiff, mismatchedPerMillion: agreement.mismatchedPerMillion, passed: agreement.passed },
  };
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results', `predict-${SIZE}.json`), JSON.stringify(result, null, 2));
  console.log(
    [
      `| run (median of ${REPEATS}) | time (s) | best (s) | CPU (s) | peak RSS (MiB) |`,
      `| --- | ---: | ---: | ---: | ---: |`,
      `| fairio predict, OME-Zarr → OME-Zarr | ${f.seconds.toFixed(2)} (process ${f.wall!.toFixed(1)}) | ${f.best.toFixed(2)} | ${f.cpuSeconds.toFixed(2)} | ${f.maxRssMb.toFixed(0)} |`,
      `| bare onnxruntime-node, session creation + same ${b.tiles} tiles | ${b.seconds.toFixed(2)} | ${b.best.toFixed(2)} | ${b.cpuSeconds.toFixed(2)} | ${b.maxRssMb.toFixed(0)} |`,
      `| bioimageio.core predict, blocks of 512 | ${c.seconds.toFixed(2)} (process ${c.wall!.toFixed(1)}) | ${c.best.toFixed(2)} | ${c.cpuSeconds.toFixed(2)} (process) | ${c.maxRssMb.toFixed(0)} |`,
      '',
      `fairio overhead over bare ONNX Runtime (session creation timed on both sides): ${(result.overhead * 100).toFixed(1)}% wall, ${(result.cpuOverhead * 100).toFixed(1)}% CPU (target ≤ 10%); fairio vs bioimageio.core: ${result.speedupVsCore.toFixed(2)}× faster in process, ${result.processSpeedupVsCore.toFixed(2)}× as whole processes; load average ${loadAtStart[0].toFixed(1)} → ${os.loadavg()[0].toFixed(1)}; outputs agree: max |diff| ${agreement.maxAbsDiff.toExponential(2)}, ${agreement.mismatchedPerMillion.toFixed(1)} mismatches per million (${agreement.passed ? 'pass' : 'FAIL'})`,
    ].join('\n'),
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
