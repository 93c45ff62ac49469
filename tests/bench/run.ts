/**
 * fairio's benchmark against the Python reference (`npm run bench`).
 *
 * 1. Generates (once, cached in tests/bench/.data/) a ≥ 1 GiB uint16 z-stack
 *    TIFF with fairio's streaming TIFF writer.
 * 2. Converts it to OME-Zarr 0.5 with the same chunks, compressor (Blosc
 *    zstd 5 + shuffle) and number of pyramid levels, once with the fairio CLI
 *    and once with ome-zarr-py / zarr-python / dask / tifffile, each as its own
 *    process under GNU time (wall time, peak resident memory), alternating
 *    which goes first, with the input warm in the page cache for both.
 * 3. Checks both outputs with zarr-python and numpy (level 0 equals the TIFF,
 *    each level is the 2×2 mean of the one below), so that a fast but wrong
 *    result cannot pass.
 * 4. Times the codec alone (Blosc zstd 5, one thread) on both sides.
 * 5. Reads every chunk of level 0 with fairio and with zarr-python (one
 *    process each, one call per chunk, and one call per plane).
 * 6. Prints a table and writes tests/bench/results/latest.json.
 *
 * Environment: FAIRIO_BENCH_GIB (default 1: the input's pixel data in GiB),
 * FAIRIO_BENCH_SIZE (plane width and height, default 4096),
 * FAIRIO_BENCH_CHUNKS (default 1,1024,1024), FAIRIO_BENCH_LEVELS (default 3),
 * FAIRIO_BENCH_REPEATS (conversions per side, default 2; the best counts),
 * FAIRIO_BENCH_BREAKDOWN=1 (also convert level 0 only, with and without
 * compression, on both sides, to attribute the time),
 * FAIRIO_BENCH_PROFILE=1 (one extra fairio conversion under --cpu-prof,
 * summarised per thread), FAIRIO_BENCH_KEEP=1 (keep the output stores),
 * FAIRIO_BENCH_STRICT=1 (exit 1 when fairio misses the target),
 * FAIRIO_BENCH_DATA (cache folder, default tests/bench/.data).
 * The machine is shared and noisy: only ratios measured in the same run mean
 * anything, never absolute times.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInput, type InputSpec } from './generate.js';
import { formatSummaries, summariseProfiles, type ThreadSummary } from './profile-summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const python = path.join(root, '.venv', 'bin', 'python');
/** The fairio executable, as cli/package.json's `bin` names it (built by `tsc -b`). */
const cli = (() => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'cli', 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin?.fairio ?? 'dist/main.js');
  return path.join(root, 'cli', bin);
})();
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const GNU_TIME = '/usr/bin/time';
const MiB = 2 ** 20;

/** Targets from the issue: fairio converts at least 2× faster than the Python reference, in under 512 MiB. */
const TARGET_RATIO = 2;
const TARGET_RSS_MIB = 512;

interface Measured {
  /** Wall time of the whole process (start to exit), seconds. */
  wallSeconds: number;
  /** Peak resident set size (GNU time's "Maximum resident set size"), MiB. */
  peakRssMiB: number;
  /** CPU time (user + system) of the process, seconds. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

type Side = 'fairio' | 'python';

/** One conversion setting: the benchmark's own ('full'), or a reduced one for the breakdown. */
interface Variant {
  name: string;
  levels: number;
  compressor: 'blosc-zstd:5' | 'blosc-lz4:5' | 'none';
  /** Extra environment for fairio (e.g. FAIRIO_NATIVE_ZSTD=0); such a variant runs on fairio only. */
  fairioEnv?: NodeJS.ProcessEnv;
  /** Let the CLI write its RO-Crate (sha256 of input and output); fairio only. */
  crate?: boolean;
}

interface ConversionRun extends Measured {
  side: Side;
  variant: string;
  repeat: number;
  /** The time the program itself reports, without interpreter start and imports. */
  innerSeconds: number;
}

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** The child being measured, so that an interrupted benchmark does not leave it running. */
let current: ReturnType<typeof spawn> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // GNU time passes no signal on: end its child (the measured program) first, then time itself.
    if (current?.pid !== undefined) spawnSync('pkill', ['-TERM', '-P', String(current.pid)]);
    current?.kill('SIGTERM');
    process.exit(130);
  });
}

/** Run `command` under GNU time; rejects (with its stderr) when it fails. */
function measure(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Measured> {
  const timeFile = path.join(os.tmpdir(), `fairio-bench-time-${process.pid}-${Date.now()}.txt`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-v', '-o', timeFile, command, ...args], { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      current = undefined;
      const wallSeconds = (performance.now() - started) / 1000;
      const report = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
      fs.rmSync(timeFile, { force: true });
      if (code !== 0) {
        reject(new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-4000)}${stdout.slice(-2000)}`));
        return;
      }
      const field = (label: string) => {
        const match = report.match(new RegExp(`${label}[^:]*:\\s*([0-9.]+)`));
        if (!match) throw new Error(`GNU time reported no "${label}":\n${report}`);
        return Number(match[1]);
      };
      resolve({
        wallSeconds,
        peakRssMiB: field('Maximum resident set size') / 1024,
        cpuSeconds: field('User time') + field('System time'),
        stdout,
        stderr,
      });
    });
  });
}

/** The JSON object a child printed: all of stdout (the fairio CLI pretty-prints), or its last JSON line. */
function lastJson<T>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    const line = stdout.trim().split('\n').reverse().find((l) => l.trim().startsWith('{'));
    if (!line) throw new Error(`no JSON in the output:\n${stdout.slice(-2000)}`);
    return JSON.parse(line) as T;
  }
}

/** Read the whole file once so that both sides start with it in the page cache. */
async function warm(file: string): Promise<void> {
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 * MiB })) bytes += (chunk as Buffer).length;
  if (bytes === 0) throw new Error(`${file} is empty`);
}

function sync(): void {
  spawnSync('sync');
}

function bytesOnDisk(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function commandOutput(command: string, args: string[]): string {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function machine() {
  const versions = commandOutput(python, [
    '-c',
    'import json, zarr, ome_zarr, dask, tifffile, numcodecs, numpy, skimage, sys; print(json.dumps({"python": sys.version.split()[0], "zarr": zarr.__version__, "ome-zarr": ome_zarr.__version__, "dask": dask.__version__, "tifffile": tifffile.__version__, "numcodecs": numcodecs.__version__, "numpy": numpy.__version__, "scikit-image": skimage.__version__}))',
  ]);
  const pkg = (name: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return undefined;
    }
  };
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    nodePackages: { zarrita: pkg('zarrita'), numcodecs: pkg('numcodecs') },
    pythonPackages: versions ? (JSON.parse(versions) as Record<string, string>) : undefined,
    commit: commandOutput('git', ['rev-parse', '--short', 'HEAD']),
    dirtyTree: commandOutput('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('FAIRIO_') || k === 'OPENBLAS_CORETYPE')),
  };
}

const fmt = (v: number, digits = 1) => v.toFixed(digits);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
    return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

async function main(): Promise<void> {
  if (!fs.existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed to measure peak memory: apt-get install time`);
  if (!fs.existsSync(python)) throw new Error(`${python} is missing: run bash scripts/setup.sh`);
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npx tsc -b (or bash scripts/setup.sh)`);

  const gib = envNumber('FAIRIO_BENCH_GIB', 1);
  const size = envNumber('FAIRIO_BENCH_SIZE', 4096);
  const levels = envNumber('FAIRIO_BENCH_LEVELS', 3);
  const repeats = envNumber('FAIRIO_BENCH_REPEATS', 2);
  const chunksText = process.env.FAIRIO_BENCH_CHUNKS || '1,1024,1024';
  const dataDir = path.resolve(root, process.env.FAIRIO_BENCH_DATA || path.join('tests', 'bench', '.data'));
  // At least 4 planes: a 1-plane ImageJ file is 2D, and tifffile took 2-plane
  // ones from fairio's writer before 96c89a4 for contiguous "virtual" stacks.
  const spec: InputSpec = { width: size, height: size, planes: Math.max(4, Math.ceil((gib * 2 ** 30) / (size * size * 2))) };
  const inputBytes = spec.planes * spec.width * spec.height * 2;
  const inputMiB = inputBytes / MiB;

  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  const input = await ensureInput(dataDir, spec, log);
  const outputs = { fairio: path.join(dataDir, 'fairio.ome.zarr'), python: path.join(dataDir, 'python.ome.zarr') };

  // The CLI records each run as an RO-Crate with sha256 checksums of input and
  // output; the Python reference does nothing of the kind, so the comparison
  // runs without it (--no-crate) and the breakdown measures what it costs.
  const canSkipCrate = spawnSync(process.execPath, [cli, 'convert', '--help'], { encoding: 'utf8' }).stdout.includes('--no-crate');
  const fairioArgs = (v: Variant, output: string) => [
    cli, 'convert', input, output, '--ngff', '0.5', '--chunks', chunksText, '--compressor', v.compressor, '--levels', String(v.levels), '--overwrite', '--quiet', '--json',
    ...(canSkipCrate && !v.crate ? ['--no-crate'] : []),
  ];
  const convert = (side: Side, v: Variant): Promise<Measured> =>
    side === 'fairio'
      ? measure(process.execPath, fairioArgs(v, outputs.fairio), { env: v.fairioEnv })
      : measure(python, [path.join(here, 'reference.py'), 'convert', input, outputs.python, '--chunks', chunksText, '--levels', String(v.levels), '--compressor', v.compressor]);
  const main: Variant = { name: 'full', levels, compressor: 'blosc-zstd:5' };

  // Conversions, alternating which side goes first; each starts from a warm
  // input, no output, and no dirty pages left over from the previous run.
  const convertOnce = async (side: Side, v: Variant, repeat: number): Promise<ConversionRun> => {
    fs.rmSync(outputs[side], { recursive: true, force: true });
    sync();
    await warm(input);
    log(`converting with ${side} (${v.name}: ${v.levels} level(s), ${v.compressor}; ${repeat + 1}), ${fmt(inputMiB, 0)} MiB`);
    const m = await convert(side, v);
    sync();
    const inner = lastJson<{ seconds: number }>(m.stdout).seconds;
    log(`  ${side}: ${fmt(m.wallSeconds, 2)} s wall, ${fmt(m.peakRssMiB, 0)} MiB peak RSS, ${fmt(m.cpuSeconds, 1)} s CPU`);
    return { ...m, side, repeat, innerSeconds: inner, variant: v.name };
  };
  const runs: ConversionRun[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const order: Side[] = repeat % 2 === 0 ? ['fairio', 'python'] : ['python', 'fairio'];
    for (const side of order) runs.push(await convertOnce(side, main, repeat));
  }

  const sizes = { fairio: fs.existsSync(outputs.fairio) ? bytesOnDisk(outputs.fairio) : undefined, python: fs.existsSync(outputs.python) ? bytesOnDisk(outputs.python) : undefined };

  // Correctness of both outputs, by zarr-python and numpy.
  log('verifying both outputs with zarr-python');
  const verifyRun = spawnSync(python, [path.join(here, 'reference.py'), 'verify', input, outputs.fairio, outputs.python, '--levels', String(levels)], { cwd: root, encoding: 'utf8', maxBuffer: 64 * MiB });
  const verification = verifyRun.stdout.trim() ? (lastJson<Record<string, unknown>>(verifyRun.stdout) as { ok: boolean; problems: string[]; levels: unknown[]; stores: Record<string, { bytesOnDisk: number; arrays: { codecs: unknown }[] }> }) : { ok: false, problems: [verifyRun.stderr.slice(-4000)], levels: [], stores: {} };
  if (!verification.ok) log(`VERIFICATION FAILED:\n  ${verification.problems.slice(0, 20).join('\n  ')}`);

  // The codec alone, one thread per side: how much of any gap is Blosc itself.
  log('timing the codec alone (blosc-zstd:5, one thread)');
  type CodecSpeed = { encodeMiBps: number; decodeMiBps: number; compressionRatio: number; chunks: number };
  const codec = {
    // One thread: fairio's native zstd (a tokio runtime) would otherwise compress a chunk's blocks in parallel.
    fairio: lastJson<CodecSpeed>((await measure(process.execPath, [tsxCli, path.join(here, 'codec-fairio.ts'), input], { env: { UV_THREADPOOL_SIZE: '1', TOKIO_WORKER_THREADS: '1' } })).stdout),
    python: lastJson<CodecSpeed>((await measure(python, [path.join(here, 'reference.py'), 'codec', input])).stdout),
  };

  // Chunk reads: every chunk of level 0, one process per side and mode.
  const reads: { store: string; mode: 'chunk' | 'plane'; side: 'fairio' | 'python'; seconds: number; mibPerSecond: number; peakRssMiB: number; calls: number }[] = [];
  const readCases: { store: 'fairio' | 'python'; mode: 'chunk' | 'plane' }[] = [
    { store: 'fairio', mode: 'chunk' },
    { store: 'fairio', mode: 'plane' },
    { store: 'python', mode: 'chunk' },
  ];
  const levelPath = { fairio: '0', python: 's0' };
  for (const c of readCases) {
    const storePath = outputs[c.store];
    // Both read the store just written, from the page cache.
    for (const side of ['fairio', 'python'] as const) {
      const m =
        side === 'fairio'
          ? await measure(process.execPath, [tsxCli, path.join(here, 'read-fairio.ts'), storePath, '--level', '0', '--mode', c.mode])
          : await measure(python, [path.join(here, 'reference.py'), 'read', storePath, levelPath[c.store], '--mode', c.mode]);
      const r = lastJson<{ seconds: number; bytes: number; calls: number }>(m.stdout);
      if (r.bytes !== inputBytes) throw new Error(`${side} read ${r.bytes} bytes from ${storePath}, expected ${inputBytes}`);
      reads.push({ store: c.store, mode: c.mode, side, seconds: r.seconds, mibPerSecond: r.bytes / MiB / r.seconds, peakRssMiB: m.peakRssMiB, calls: r.calls });
      log(`  read ${c.store} store by ${c.mode} with ${side}: ${fmt(r.bytes / MiB / r.seconds, 0)} MiB/s`);
    }
  }

  // Optional: the same conversion without the pyramid and without compression,
  // to attribute each side's time to reading + writing, encoding and the pyramid.
  const breakdown: ConversionRun[] = [];
  if (process.env.FAIRIO_BENCH_BREAKDOWN === '1') {
    const variants: Variant[] = [
      { name: 'level 0 only, no compression', levels: 1, compressor: 'none' },
      { name: 'level 0 only', levels: 1, compressor: 'blosc-zstd:5' },
      { name: 'level 0 only, blosc-lz4', levels: 1, compressor: 'blosc-lz4:5' },
      { name: 'full, fairio with FAIRIO_NATIVE_ZSTD=0 (WebAssembly blosc)', levels, compressor: 'blosc-zstd:5', fairioEnv: { FAIRIO_NATIVE_ZSTD: '0' } },
      ...(canSkipCrate ? [{ name: 'full, fairio writing its RO-Crate (sha256 of input and output)', levels, compressor: 'blosc-zstd:5', crate: true } as Variant] : []),
    ];
    for (const v of variants) for (const side of v.fairioEnv || v.crate ? (['fairio'] as const) : (['fairio', 'python'] as const)) breakdown.push(await convertOnce(side, v, 0));
  }

  // Optional: where fairio's conversion time goes.
  let profile: ThreadSummary[] | undefined;
  if (process.env.FAIRIO_BENCH_PROFILE === '1') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-bench-prof-'));
    fs.rmSync(outputs.fairio, { recursive: true, force: true });
    sync();
    await warm(input);
    log('profiling one fairio conversion (node --cpu-prof)');
    await measure(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...fairioArgs(main, outputs.fairio)]);
    profile = summariseProfiles(dir).map((s) => ({ ...s, functions: s.functions.slice(0, 25), files: s.files.slice(0, 15) }));
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Results: the best run of each side (least disturbed by the noisy machine).
  const best = (side: 'fairio' | 'python') => runs.filter((r) => r.side === side).reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  const f = best('fairio');
  const p = best('python');
  const peak = (side: 'fairio' | 'python') => Math.max(...runs.filter((r) => r.side === side).map((r) => r.peakRssMiB));
  const median = (side: Side, key: 'wallSeconds' | 'cpuSeconds') => {
    const v = runs.filter((r) => r.side === side).map((r) => r[key]).sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const medianRatio = median('python', 'wallSeconds') / median('fairio', 'wallSeconds');
  const cpuRatio = median('python', 'cpuSeconds') / median('fairio', 'cpuSeconds');
  const throughputRatio = p.wallSeconds / f.wallSeconds;
  const innerRatio = p.innerSeconds / f.innerSeconds;
  const fairioPeak = peak('fairio');
  const meetsTarget = verification.ok && throughputRatio >= TARGET_RATIO && fairioPeak < TARGET_RSS_MIB;
  const readRatio = (store: string, mode: string) => {
    const fr = reads.find((r) => r.store === store && r.mode === mode && r.side === 'fairio')!;
    const pr = reads.find((r) => r.store === store && r.mode === mode && r.side === 'python')!;
    return fr.mibPerSecond / pr.mibPerSecond;
  };

  const result = {
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAverage: { before: loadBefore, after: os.loadavg() },
    machine: machine(),
    input: { file: path.relative(root, input), planes: spec.planes, height: spec.height, width: spec.width, dtype: 'uint16', bytes: inputBytes, fileBytes: fs.statSync(input).size, layout: 'strips (about 256 KiB each), uncompressed, ImageJ z-stack' },
    settings: { fairioCrate: canSkipCrate ? 'off (--no-crate) in the comparison' : 'the CLI has no --no-crate', ngff: '0.5', chunks: chunksText.split(',').map(Number), compressor: 'blosc zstd clevel 5, shuffle (typesize 2)', levels, repeats, pythonDownsampling: 'ome-zarr-py Methods.LOCAL_MEAN (skimage downscale_local_mean, truncated to uint16)', fairioDownsampling: '2×2 mean, rounded to nearest' },
    conversion: {
      runs: runs.map(({ stdout: _o, stderr: _e, ...r }) => ({ ...r, mibPerSecond: inputMiB / r.wallSeconds })),
      fairio: { wallSeconds: f.wallSeconds, medianWallSeconds: median('fairio', 'wallSeconds'), innerSeconds: f.innerSeconds, mibPerSecond: inputMiB / f.wallSeconds, peakRssMiB: fairioPeak, cpuSeconds: f.cpuSeconds, medianCpuSeconds: median('fairio', 'cpuSeconds'), outputBytes: sizes.fairio },
      python: { wallSeconds: p.wallSeconds, medianWallSeconds: median('python', 'wallSeconds'), innerSeconds: p.innerSeconds, mibPerSecond: inputMiB / p.wallSeconds, peakRssMiB: peak('python'), cpuSeconds: p.cpuSeconds, medianCpuSeconds: median('python', 'cpuSeconds'), outputBytes: sizes.python },
      /** Best wall time of each side (the headline), then medians, then CPU time (least sensitive to other load). */
      throughputRatio,
      medianThroughputRatio: medianRatio,
      cpuTimeRatio: cpuRatio,
      innerThroughputRatio: innerRatio,
      target: { ratio: TARGET_RATIO, peakRssMiB: TARGET_RSS_MIB, met: meetsTarget },
    },
    breakdown: breakdown.length ? breakdown.map(({ stdout: _o, stderr: _e, ...r }) => ({ ...r, mibPerSecond: inputMiB / r.wallSeconds })) : undefined,
    verification,
    codec: { ...codec, note: "fairio: the writer's encodeChunk (native zstd + fairio's blosc framing when available, else numcodecs.js WebAssembly c-blosc) and the reader's decoder (native zstd + fairio's unshuffle, else numcodecs.js WebAssembly); python: numcodecs (native c-blosc), one thread" },
    reads: { runs: reads, ratios: { fairioStoreChunk: readRatio('fairio', 'chunk'), fairioStorePlane: readRatio('fairio', 'plane'), pythonStoreChunk: readRatio('python', 'chunk') } },
    profile,
  };
  const resultsDir = path.join(here, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);

  const out: string[] = [];
  out.push(`fairio benchmark — ${result.machine.nproc} cores, ${result.machine.memoryGiB} GiB, load ${loadBefore.map((l) => fmt(l, 2)).join(' ')}`);
  out.push(`input: ${spec.planes} × ${spec.height} × ${spec.width} uint16 (${fmt(inputMiB / 1024, 2)} GiB), chunks ${chunksText}, blosc-zstd:5 + shuffle, ${levels} levels, best of ${repeats}`);
  out.push('');
  out.push('conversion TIFF → OME-Zarr 0.5');
  out.push(
    table([
      ['side', 'wall s', 'MiB/s', 'in-process s', 'CPU s', 'peak RSS MiB', 'output MiB'],
      ...(['fairio', 'python'] as const).map((side) => {
        const c = result.conversion[side];
        return [side === 'fairio' ? 'fairio CLI' : 'ome-zarr-py', fmt(c.wallSeconds, 2), fmt(c.mibPerSecond, 0), fmt(c.innerSeconds, 2), fmt(c.cpuSeconds, 1), fmt(c.peakRssMiB, 0), c.outputBytes === undefined ? '-' : fmt(c.outputBytes / MiB, 0)];
      }),
    ]),
  );
  out.push(`throughput ratio fairio / python: ${fmt(throughputRatio, 2)}× best of ${repeats} (in-process ${fmt(innerRatio, 2)}×; median ${fmt(medianRatio, 2)}×; CPU time ${fmt(cpuRatio, 2)}×)`);
  out.push(`all runs, wall s: fairio ${runs.filter((r) => r.side === 'fairio').map((r) => fmt(r.wallSeconds, 2)).join(', ')}; python ${runs.filter((r) => r.side === 'python').map((r) => fmt(r.wallSeconds, 2)).join(', ')}`);
  out.push(`target ≥ ${TARGET_RATIO}× and < ${TARGET_RSS_MIB} MiB peak: ${meetsTarget ? 'MET' : 'MISSED'} (ratio ${throughputRatio >= TARGET_RATIO ? 'met' : 'missed'}, memory ${fairioPeak < TARGET_RSS_MIB ? 'met' : 'missed'})`);
  out.push(`verification (zarr-python): ${verification.ok ? 'both outputs correct' : `FAILED — ${verification.problems.length} problem(s)`}`);
  out.push('');
  out.push('the codec alone, blosc-zstd:5 + shuffle on 1024 × 1024 chunks, one chunk at a time');
  out.push(
    table([
      ['side', 'encode MiB/s', 'decode MiB/s', 'compression ratio'],
      ['fairio (writer encode / reader decode)', fmt(codec.fairio.encodeMiBps, 0), fmt(codec.fairio.decodeMiBps, 0), fmt(codec.fairio.compressionRatio, 2)],
      ['zarr-python (numcodecs, native c-blosc)', fmt(codec.python.encodeMiBps, 0), fmt(codec.python.decodeMiBps, 0), fmt(codec.python.compressionRatio, 2)],
    ]),
  );
  out.push('');
  out.push('reading every chunk of level 0 (decoded MiB/s)');
  out.push(
    table([
      ['store / calls', 'fairio MiB/s', 'zarr-python MiB/s', 'ratio', 'fairio RSS', 'python RSS'],
      ...readCases.map((c) => {
        const fr = reads.find((r) => r.store === c.store && r.mode === c.mode && r.side === 'fairio')!;
        const pr = reads.find((r) => r.store === c.store && r.mode === c.mode && r.side === 'python')!;
        return [`${c.store} store, one call per ${c.mode}`, fmt(fr.mibPerSecond, 0), fmt(pr.mibPerSecond, 0), `${fmt(fr.mibPerSecond / pr.mibPerSecond, 2)}×`, fmt(fr.peakRssMiB, 0), fmt(pr.peakRssMiB, 0)];
      }),
    ]),
  );
  if (breakdown.length) {
    out.push('');
    out.push('breakdown (one run each; compare with the full conversion above)');
    const names = [...new Set(breakdown.map((b) => b.variant))];
    out.push(
      table([
        ['setting', 'fairio wall s', 'python wall s', 'ratio', 'fairio RSS', 'python RSS'],
        ...names.map((name) => {
          const fb = breakdown.find((b) => b.variant === name && b.side === 'fairio')!;
          const pb = breakdown.find((b) => b.variant === name && b.side === 'python') ?? (name.startsWith('full') ? p : undefined);
          return [name, fmt(fb.wallSeconds, 2), pb ? fmt(pb.wallSeconds, 2) : '-', pb ? `${fmt(pb.wallSeconds / fb.wallSeconds, 2)}×` : '-', fmt(fb.peakRssMiB, 0), pb ? fmt(pb.peakRssMiB, 0) : '-'];
        }),
      ]),
    );
  }
  if (profile) {
    out.push('');
    out.push('fairio conversion profile (one file per thread: main, then encode workers)');
    out.push(formatSummaries(profile, 10));
  }
  out.push('');
  out.push(`written to ${path.relative(root, path.join(resultsDir, 'latest.json'))}`);
  console.log(out.join('\n'));

  if (process.env.FAIRIO_BENCH_KEEP !== '1') for (const dir of Object.values(outputs)) fs.rmSync(dir, { recursive: true, force: true });
  if (!verification.ok) process.exitCode = 1;
  else if (!meetsTarget && process.env.FAIRIO_BENCH_STRICT === '1') process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
