/**
 * fairio's side of the chunk-read benchmark, run as its own process by
 * run.ts: read every chunk of one pyramid level of an OME-Zarr image through
 * fairio's public reading API, one call per chunk (mode chunk) or one call
 * per plane of the leading axes (mode plane), and print one JSON line.
 *
 * `tsx tests/bench/read-fairio.ts STORE.ome.zarr [--level 0] [--mode chunk|plane]`
 */
import { openOmeZarr, type AxisSelection } from '@fairio/ngff';

export interface ReadResult {
  seconds: number;
  bytes: number;
  calls: number;
  shape: number[];
  chunks: number[];
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

/** Every corner of a grid of `counts` cells, C order. */
function* grid(counts: number[]): Generator<number[]> {
  const pos = counts.map(() => 0);
  if (counts.some((c) => c === 0)) return;
  for (;;) {
    yield [...pos];
    let d = counts.length - 1;
    for (; d >= 0; d--) {
      if (++pos[d] < counts[d]) break;
      pos[d] = 0;
    }
    if (d < 0) return;
  }
}

export async function readAll(store: string, level: number, mode: 'chunk' | 'plane'): Promise<ReadResult> {
  const image = await (await openOmeZarr(store)).image();
  const { shape, chunks } = image.levels[level];
  const names = image.axisNames;
  const n = shape.length;
  const started = performance.now();
  let bytes = 0;
  let calls = 0;
  if (mode === 'plane') {
    for (const index of grid(shape.slice(0, n - 2))) {
      const select: Record<string, AxisSelection> = {};
      index.forEach((v, d) => (select[names[d]] = v));
      const region = await image.readRegion({ level, select });
      bytes += region.data.byteLength;
      calls++;
    }
  } else {
    for (const cell of grid(shape.map((s, d) => Math.ceil(s / chunks[d])))) {
      const select: Record<string, AxisSelection> = {};
      cell.forEach((c, d) => (select[names[d]] = [c * chunks[d], Math.min(shape[d], (c + 1) * chunks[d])]));
      const region = await image.readRegion({ level, select });
      bytes += region.data.byteLength;
      calls++;
    }
  }
  return { seconds: (performance.now() - started) / 1000, bytes, calls, shape, chunks };
}

if (process.argv[1]?.endsWith('read-fairio.ts') || process.argv[1]?.endsWith('read-fairio.js')) {
  const store = process.argv[2];
  const mode = option('mode', 'chunk');
  if (!store || (mode !== 'chunk' && mode !== 'plane')) {
    console.error('usage: tsx tests/bench/read-fairio.ts STORE [--level N] [--mode chunk|plane]');
    process.exit(2);
  }
  const result = await readAll(store, Number(option('level', '0')), mode);
  console.log(JSON.stringify(result));
}
