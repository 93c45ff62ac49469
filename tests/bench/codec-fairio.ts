/**
 * The codec alone, one chunk at a time: Blosc zstd level 5 with byte shuffle
 * on 1024 × 1024 uint16 chunks of the benchmark input, encoded exactly as
 * fairio's Zarr writer encodes a chunk (`encodeChunk` of ngff's zarr module,
 * whichever backend it picks: native zstd with fairio's blosc framing, or
 * numcodecs.js's WebAssembly c-blosc) and decoded as fairio's reader decodes
 * one (native zstd with fairio's unshuffle where available, as `readBox`
 * does, else zarrita's registered WebAssembly blosc codec). run.ts compares it with the same
 * codec in zarr-python (numcodecs, native c-blosc) to show how much of a
 * conversion or read gap is the codec itself.
 *
 * `tsx tests/bench/codec-fairio.ts INPUT.tif [--chunks 8] [--rounds 3]`
 */
import * as zarr from 'zarrita';
import { openTiff } from '@fairio/ngff';
// Not part of @fairio/ngff's public API: the writer's own chunk encoder, from the build.
import { encodeChunk, type ArraySpec } from '../../ngff/dist/zarr/index.js';
import { decodeBloscZstd } from '../../ngff/dist/zarr/blosc.js';
import { nativeZstd } from '../../ngff/dist/zarr/native-zstd.js';

export interface CodecResult {
  encodeMiBps: number;
  decodeMiBps: number;
  compressionRatio: number;
  chunks: number;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

export async function codecSpeed(input: string, count: number, rounds: number): Promise<CodecResult> {
  const tiff = await openTiff(input);
  const series = tiff.series[0];
  const [height, width] = series.shape.slice(-2);
  const side = Math.min(1024, height, width);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const plane = Math.floor((i * series.planeCount) / count);
    const y0 = ((i * 2 + 1) * side) % (height - side + 1);
    const x0 = ((i * 3 + 1) * side) % (width - side + 1);
    const pixels = await series.readWindow(plane, y0, y0 + side, x0, x0 + side);
    chunks.push(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
  }
  await tiff.close();
  const spec: ArraySpec = { format: 3, shape: [side, side], chunks: [side, side], dtype: 'uint16', compressor: { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' } };
  const encode = async (c: Uint8Array) => (await encodeChunk(spec, new Uint16Array(c.buffer, c.byteOffset, c.byteLength / 2), [side, side], { skipEmpty: false }))!;
  const loader = zarr.registry.get('blosc');
  if (!loader) throw new Error('zarrita has no blosc codec registered');
  const wasm = (await loader()).fromConfig({ cname: 'zstd', clevel: 5, shuffle: 'shuffle', typesize: 2, blocksize: 0 }, { data_type: 'uint16', shape: [side, side], codecs: [] } as never) as unknown as {
    decode(bytes: Uint8Array): Promise<unknown> | unknown;
  };
  const zstd = await nativeZstd();
  const decoder = { decode: async (bytes: Uint8Array) => (zstd && (await decodeBloscZstd(bytes, zstd))) ?? wasm.decode(bytes) };
  const encoded: Uint8Array[] = [];
  for (const c of chunks) encoded.push(await encode(c));
  for (const e of encoded) await decoder.decode(e); // warm up
  const bytes = chunks.reduce((n, c) => n + c.byteLength, 0);
  let started = performance.now();
  for (let r = 0; r < rounds; r++) for (const c of chunks) await encode(c);
  const encodeSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (let r = 0; r < rounds; r++) for (const e of encoded) await decoder.decode(e);
  const decodeSeconds = (performance.now() - started) / 1000;
  return {
    encodeMiBps: (rounds * bytes) / 2 ** 20 / encodeSeconds,
    decodeMiBps: (rounds * bytes) / 2 ** 20 / decodeSeconds,
    compressionRatio: bytes / encoded.reduce((n, e) => n + e.byteLength, 0),
    chunks: count,
  };
}

if (process.argv[1]?.endsWith('codec-fairio.ts') || process.argv[1]?.endsWith('codec-fairio.js')) {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: tsx tests/bench/codec-fairio.ts INPUT.tif [--chunks 8] [--rounds 3]');
    process.exit(2);
  }
  console.log(JSON.stringify(await codecSpeed(input, option('chunks', 8), option('rounds', 3))));
}
