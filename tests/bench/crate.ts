/**
 * What crating an output folder costs, against hashing it with `sha256sum`
 * (`npx tsx tests/bench/crate.ts`).
 *
 * 1. Generates (once, cached in tests/bench/.data/crate-folder/) an output
 *    folder of ≥ 1 GiB of incompressible bytes shaped like real outputs: an
 *    OME-Zarr-like tree of 256 KiB chunk files plus a few large files.
 * 2. Reads it once so that it is warm in the page cache for both sides.
 * 3. Alternating which goes first, `REPEATS` times each: `sha256sum` over
 *    every file (one process, the file list given through xargs), and
 *    fairio's `recordRun` making that folder a crate (sha256 of every file
 *    read once, manifest, ro-crate-metadata.json, ro-crate-preview.html)
 *    starting from no crate. The best time of each counts.
 * 4. Also times hashing alone with the same code (`hashTree`, Node's crypto),
 *    to show what the crate adds beyond the hashing itself, and `verifyCrate`
 *    (re-hashing everything against the manifest).
 * 5. Prints the ratio (target ≤ 1.05) and writes tests/bench/results/crate.json.
 *
 * Environment: FAIRIO_BENCH_CRATE_GIB (default 1), FAIRIO_BENCH_REPEATS
 * (default 3), FAIRIO_BENCH_DATA (cache folder, default tests/bench/.data),
 * FAIRIO_BENCH_STRICT=1 (exit 1 when the ratio misses the target).
 * Only ratios measured in the same run mean anything on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashTree, listFiles, recordRun, verifyCrate } from '@fairio/provenance';

const here = path.dirname(fileURLToPath(import.meta.url));
const GIB = 2 ** 30;
const gib = Number(process.env.FAIRIO_BENCH_CRATE_GIB ?? 1);
const repeats = Number(process.env.FAIRIO_BENCH_REPEATS ?? 3);
const dataRoot = process.env.FAIRIO_BENCH_DATA ?? path.join(here, '.data');
const folder = path.join(dataRoot, `crate-folder-${gib}gib`);
const TARGET = 1.05;

/** Half the bytes in 256 KiB chunks under image.ome.zarr/, half in 64 MiB files. */
function generate(): void {
  const stamp = `${folder}.complete`; // beside the folder: everything inside is payload
  if (fs.existsSync(stamp)) return;
  fs.rmSync(folder, { recursive: true, force: true });
  const total = Math.ceil(gib * GIB);
  const chunk = 256 << 10;
  const big = 64 << 20;
  const chunks = Math.ceil(total / 2 / chunk);
  const bigFiles = Math.ceil(total / 2 / big);
  process.stderr.write(`[bench] writing ${chunks} chunk files and ${bigFiles} large files (${(total / GIB).toFixed(2)} GiB) to ${folder}\n`);
  const zarr = path.join(folder, 'image.ome.zarr');
  fs.mkdirSync(zarr, { recursive: true });
  fs.writeFileSync(path.join(zarr, 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', multiscales: [] } } }));
  const pool = randomBytes(big + chunk); // slices of one random pool: incompressible, cheap to write
  for (let i = 0; i < chunks; i++) {
    const dir = path.join(zarr, '0', 'c', String(Math.floor(i / 64)));
    if (i % 64 === 0) fs.mkdirSync(dir, { recursive: true });
    const offset = (i * 7919) % big;
    fs.writeFileSync(path.join(dir, String(i % 64)), pool.subarray(offset, offset + chunk));
  }
  for (let i = 0; i < bigFiles; i++) fs.writeFileSync(path.join(folder, `table-${i}.bin`), pool.subarray(i * 4096, i * 4096 + big));
  fs.writeFileSync(stamp, '');
}

function crateFiles(): string[] {
  return ['ro-crate-metadata.json', 'ro-crate-preview.html', 'manifest-sha256.txt'].map((f) => path.join(folder, f));
}

async function timeFairio(): Promise<number> {
  for (const f of crateFiles()) fs.rmSync(f, { force: true });
  const started = process.hrtime.bigint();
  await recordRun({ name: 'benchmark output', tool: 'bench', inputs: [], outputs: [folder], startTime: new Date() }, { crateDir: folder });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function timeHashOnly(): Promise<number> {
  const started = process.hrtime.bigint();
  await hashTree(folder, { exclude: (r) => ['ro-crate-metadata.json', 'ro-crate-preview.html', 'manifest-sha256.txt'].includes(r) });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function timeSha256sum(list: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', `xargs -0 sha256sum < "$1" > /dev/null`, 'sh', list], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('sha256sum failed');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  if (spawnSync('sha256sum', ['--version']).status !== 0) throw new Error('sha256sum (GNU coreutils) is needed');
  generate();
  const files = (await listFiles(folder)).filter((f) => !['ro-crate-metadata.json', 'ro-crate-preview.html', 'manifest-sha256.txt'].includes(f));
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(folder, f)).size, 0);
  const list = path.join(os.tmpdir(), `fairio-bench-crate-${process.pid}.list`);
  fs.writeFileSync(list, files.map((f) => path.join(folder, f)).join('\0'));
  process.stderr.write(`[bench] warming the page cache\n`);
  timeSha256sum(list);
  const sha: number[] = [];
  const fairio: number[] = [];
  const hashOnly: number[] = [];
  for (let r = 0; r < repeats; r++) {
    if (r % 2 === 0) {
      sha.push(timeSha256sum(list));
      fairio.push(await timeFairio());
      hashOnly.push(await timeHashOnly());
    } else {
      hashOnly.push(await timeHashOnly());
      fairio.push(await timeFairio());
      sha.push(timeSha256sum(list));
    }
    process.stderr.write(`[bench] round ${r + 1}: sha256sum ${sha.at(-1)!.toFixed(2)} s, fairio crate ${fairio.at(-1)!.toFixed(2)} s, hashing alone ${hashOnly.at(-1)!.toFixed(2)} s\n`);
  }
  const verifyStarted = process.hrtime.bigint();
  const verified = await verifyCrate(folder);
  const verify = Number(process.hrtime.bigint() - verifyStarted) / 1e9;
  if (!verified.ok || verified.checked !== files.length) throw new Error(`verify disagrees: ${verified.checked} files checked of ${files.length}, ok=${verified.ok}`);
  fs.rmSync(list, { force: true });
  const best = { sha256sum: Math.min(...sha), fairio: Math.min(...fairio), hashOnly: Math.min(...hashOnly) };
  const ratio = best.fairio / best.sha256sum;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.versions.node },
    folder: { files: files.length, bytes, gib: bytes / GIB },
    repeats,
    seconds: { sha256sum: sha, fairio, hashOnly, verify },
    best,
    throughput: { sha256sum: bytes / best.sha256sum / 2 ** 20, fairio: bytes / best.fairio / 2 ** 20, verify: bytes / verify / 2 ** 20 },
    ratio,
    /** What the crate costs beyond hashing the same files with the same code. */
    overheadOverHashing: best.fairio / best.hashOnly - 1,
    target: TARGET,
    pass: ratio <= TARGET,
  };
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  fs.writeFileSync(path.join(here, 'results', 'crate.json'), `${JSON.stringify(result, null, 2)}\n`);
  const mib = (s: number) => `${(bytes / s / 2 ** 20).toFixed(0)} MiB/s`;
  console.log(`| folder | sha256sum | fairio crate (recordRun) | ratio | hashing alone (hashTree) | crate over hashing | fairio crate verify |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  console.log(
    `| ${files.length} files, ${(bytes / GIB).toFixed(2)} GiB | ${best.sha256sum.toFixed(2)} s (${mib(best.sha256sum)}) | ${best.fairio.toFixed(2)} s (${mib(best.fairio)}) | **${ratio.toFixed(2)}** (target ≤ ${TARGET}) | ${best.hashOnly.toFixed(2)} s (${mib(best.hashOnly)}) | ${(100 * result.overheadOverHashing).toFixed(0)} % | ${verify.toFixed(2)} s (${mib(verify)}) |`,
  );
  if (process.env.FAIRIO_BENCH_STRICT === '1' && ratio > TARGET) process.exitCode = 1;
}

await main();
