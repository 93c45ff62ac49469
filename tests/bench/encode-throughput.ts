/**
 * Encode throughput of the Zarr writer, single-threaded and on the encode pool
 * (it measures the machine, not the code, so it is a benchmark, not a test):
 * `npx tsx tests/bench/encode-throughput.ts` (FAIRIO_BENCH_DIR
 * picks the folder written to, e.g. /dev/shm to leave the disk out;
 * FAIRIO_NATIVE_ZSTD=0 measures numcodecs.js's WebAssembly zstd instead of
 * native zstd). The pool runs send every chunk to the pool (`nativeOnPool`),
 * the "main thread" runs are what a writer with a pool does for native zstd.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planBlocks } from '../../ngff/src/blocks/plan.js';
import { encodeChunk } from '../../ngff/src/zarr/encode.js';
import { nativeZstd } from '../../ngff/src/zarr/native-zstd.js';
import type { ArraySpec, Compressor } from '../../ngff/src/zarr/types.js';
import { createArray, createEncodePool } from '../../ngff/src/zarr/writer.js';

const MiB = 1 << 20;

/** A microscopy-like uint16 plane stack: smooth blobs on a dim background plus shot-like noise. */
function image(shape: number[]): Uint16Array {
  const [planes, h, w] = shape;
  const out = new Uint16Array(planes * h * w);
  let s = 0x9e3779b9;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < out.length; i++) {
    const x = i % w;
    const y = Math.floor(i / w) % h;
    const blob = Math.max(0, Math.sin(x / 37) * Math.cos(y / 23)) * 1800;
    out[i] = 100 + blob + (rand() + rand() + rand()) * 20;
  }
  return out;
}

/** Median of five timings: the machine is shared, single runs are noisy. */
async function median(time: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(await time());
  return times.sort((a, b) => a - b)[2];
}

const compressors: Record<string, Compressor> = {
  'blosc-lz4': { id: 'blosc', cname: 'lz4', clevel: 5, shuffle: 'shuffle' },
  'blosc-zstd': { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' },
  zstd: { id: 'zstd', level: 3 },
};

{
  {
    const shape = [32, 1024, 1024]; // 64 MiB of uint16
    const chunks = [1, 512, 1024]; // 1 MiB chunks
    const data = image(shape);
    const blocks = planBlocks(shape, chunks).map((b) => ({ b, data: data.slice(b.start[0] * 1024 * 1024 + b.start[1] * 1024, b.start[0] * 1024 * 1024 + b.stop[1] * 1024) }));
    const root = fs.mkdtempSync(path.join(process.env.FAIRIO_BENCH_DIR ?? os.tmpdir(), 'fairio-bench-'));
    const zstdBy = (await nativeZstd()) ? 'native zstd' : 'numcodecs.js zstd';
    const rows: string[] = [`${os.cpus()[0].model}, ${os.availableParallelism()} cores; ${data.byteLength / MiB} MiB uint16, ${chunks.join('×')} chunks; ${zstdBy}`];
    const mbps = (t: number) => (data.byteLength / 1e6 / (t / 1000)).toFixed(0);
    try {
      for (const [name, compressor] of Object.entries(compressors)) {
        const spec: ArraySpec = { format: 2, shape, chunks, dtype: 'uint16', compressor };
        await encodeChunk(spec, blocks[0].data, chunks); // load the codec
        let stored = 0;
        const encodeOnly = await median(async () => {
          stored = 0;
          const t = performance.now();
          for (const { data: d } of blocks) stored += (await encodeChunk(spec, d, chunks))!.length;
          return performance.now() - t;
        });

        const run = (label: string, options: Parameters<typeof createArray>[2]) =>
          median(async () => {
            const dir = path.join(root, `${name}-${label}.zarr`);
            const writer = await createArray(dir, spec, options);
            const t = performance.now();
            // Copies so the transfer does not detach the prepared blocks; copying costs the same in every run.
            await Promise.all(blocks.map(({ b, data: d }) => writer.writeBlock(b.coords, d.slice(), chunks)));
            const elapsed = performance.now() - t;
            fs.rmSync(dir, { recursive: true, force: true });
            return elapsed;
          });
        const main = await run('main', {});
        const pool1 = createEncodePool({ size: 1 });
        await pool1.run({ dir: path.join(root, 'warm1'), spec, coords: [0, 0, 0], data: blocks[0].data.slice(), shape: chunks, skipEmpty: true });
        const one = await run('pool1', { pool: pool1, nativeOnPool: true });
        await pool1.close();
        const pool2 = createEncodePool({ size: 2 });
        await Promise.all([0, 1].map(() => pool2.run({ dir: path.join(root, 'warm2'), spec, coords: [0, 0, 0], data: blocks[0].data.slice(), shape: chunks, skipEmpty: true })));
        const two = await run('pool2', { pool: pool2, nativeOnPool: true });
        await pool2.close();
        rows.push(
          `${name}: ratio ${(data.byteLength / stored).toFixed(2)}; encode only, main thread ${mbps(encodeOnly)} MB/s; ` +
            `encode+write (median of 5): main thread ${mbps(main)}, pool of 1 ${mbps(one)}, pool of 2 ${mbps(two)} MB/s`,
        );
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    console.log(rows.join('\n'));
    if (rows.length !== 1 + Object.keys(compressors).length) throw new Error('a compressor row is missing');
  }
}
