/**
 * Array metadata as zarr-python writes it: checking an `ArraySpec`, filling in
 * compressor defaults, and rendering `.zarray` (v2, `dimension_separator` "/")
 * or `zarr.json` (v3, default chunk keys with "/", optional `sharding_indexed`).
 */
import { FairioError } from '../errors.js';
import { DATA_TYPES, type ArraySpec, type Compressor } from './types.js';

/** A compressor with every default filled in, so metadata and encoder agree. */
export type ResolvedCompressor =
  | { id: 'blosc'; cname: 'lz4' | 'zstd' | 'blosclz' | 'zlib'; clevel: number; shuffle: 'noshuffle' | 'shuffle' | 'bitshuffle' }
  | { id: 'zstd'; level: number }
  | { id: 'gzip'; level: number }
  | { id: 'none' };

/** c-blosc 1.x refuses buffers above 2^31 - 1 bytes minus its header. */
const BLOSC_MAX_BYTES = 2 ** 31 - 1 - 16;

function invalid(message: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', message);
}

function checkInts(name: string, values: unknown, min: number): asserts values is number[] {
  if (!Array.isArray(values) || values.some((v) => !Number.isSafeInteger(v) || (v as number) < min)) {
    throw invalid(`${name} must be a list of integers >= ${min}, got ${JSON.stringify(values)}`);
  }
}

export function resolveCompressor(compressor: Compressor): ResolvedCompressor {
  switch (compressor.id) {
    case 'blosc': {
      const cname = compressor.cname ?? 'lz4';
      const clevel = compressor.clevel ?? 5;
      const shuffle = compressor.shuffle ?? 'shuffle';
      if (!['lz4', 'zstd', 'blosclz', 'zlib'].includes(cname)) throw invalid(`blosc cname "${cname}" is not one of lz4, zstd, blosclz, zlib`);
      if (!Number.isInteger(clevel) || clevel < 0 || clevel > 9) throw invalid(`blosc clevel must be an integer 0–9, got ${clevel}`);
      if (!['noshuffle', 'shuffle', 'bitshuffle'].includes(shuffle)) throw invalid(`blosc shuffle "${shuffle}" is not one of noshuffle, shuffle, bitshuffle`);
      return { id: 'blosc', cname, clevel, shuffle };
    }
    case 'zstd': {
      // 0 asks libzstd for its default, 3; write the level actually used.
      const level = compressor.level === undefined || compressor.level === 0 ? 3 : compressor.level;
      if (!Number.isInteger(level) || level < 1 || level > 22) throw invalid(`zstd level must be an integer 1–22, got ${compressor.level}`);
      return { id: 'zstd', level };
    }
    case 'gzip': {
      const level = compressor.level ?? 5;
      if (!Number.isInteger(level) || level < 0 || level > 9) throw invalid(`gzip level must be an integer 0–9, got ${level}`);
      return { id: 'gzip', level };
    }
    case 'none':
      return { id: 'none' };
    default:
      throw invalid(`unknown compressor ${JSON.stringify(compressor)}; use blosc, zstd, gzip or none`);
  }
}

/** Throws `INVALID_ARGUMENT` unless the spec describes an array fairio can write. */
export function checkSpec(spec: ArraySpec): void {
  const info = DATA_TYPES[spec.dtype];
  if (!info) throw invalid(`unsupported data type "${spec.dtype}"`);
  if (spec.format !== 2 && spec.format !== 3) throw invalid(`Zarr format must be 2 or 3, got ${spec.format}`);
  checkInts('shape', spec.shape, 0);
  checkInts('chunks', spec.chunks, 1);
  if (spec.chunks.length !== spec.shape.length) throw invalid(`chunks ${JSON.stringify(spec.chunks)} must have one entry per axis of shape ${JSON.stringify(spec.shape)}`);
  if (spec.shards !== undefined) {
    if (spec.format !== 3) throw invalid('sharding needs Zarr v3 (format 3)');
    checkInts('shards', spec.shards, 1);
    if (spec.shards.length !== spec.shape.length || spec.shards.some((s, i) => s % spec.chunks[i] !== 0)) {
      throw invalid(`shard shape ${JSON.stringify(spec.shards)} must be a multiple of the chunk shape ${JSON.stringify(spec.chunks)} on every axis`);
    }
  }
  if (spec.dimensionNames !== undefined && (spec.dimensionNames.length !== spec.shape.length || spec.dimensionNames.some((n) => typeof n !== 'string'))) {
    throw invalid(`dimensionNames ${JSON.stringify(spec.dimensionNames)} must name each of the ${spec.shape.length} axes`);
  }
  const fill = spec.fillValue ?? 0;
  if (typeof fill !== 'number') throw invalid(`fill value must be a number, got ${JSON.stringify(fill)}`);
  if (info.integer && (!Number.isInteger(fill) || fill < info.min || fill > info.max)) {
    throw invalid(`fill value ${fill} does not fit data type ${spec.dtype}`);
  }
  const compressor = resolveCompressor(spec.compressor);
  const chunkBytes = spec.chunks.reduce((a, b) => a * b, 1) * info.itemsize;
  if (compressor.id === 'blosc' && chunkBytes > BLOSC_MAX_BYTES) {
    throw invalid(`a chunk of ${chunkBytes} bytes is too large for blosc (at most 2 GiB); use smaller chunks`);
  }
  if (spec.attributes !== undefined && (typeof spec.attributes !== 'object' || spec.attributes === null || Array.isArray(spec.attributes))) {
    throw invalid('attributes must be a JSON object');
  }
}

/** Fill values in Zarr JSON: NaN and infinities are strings, bool is true/false. */
export function fillValueJson(spec: ArraySpec): number | string | boolean {
  const fill = spec.fillValue ?? 0;
  if (spec.dtype === 'bool') return fill !== 0;
  if (Number.isNaN(fill)) return 'NaN';
  if (fill === Infinity) return 'Infinity';
  if (fill === -Infinity) return '-Infinity';
  return fill;
}

const BLOSC_SHUFFLE_V2 = { noshuffle: 0, shuffle: 1, bitshuffle: 2 } as const;

/** The `.zarray` document (Zarr v2), keys in zarr-python's order. */
export function zarrayJson(spec: ArraySpec): Record<string, unknown> {
  const c = resolveCompressor(spec.compressor);
  let compressor: Record<string, unknown> | null;
  switch (c.id) {
    case 'blosc':
      compressor = { id: 'blosc', cname: c.cname, clevel: c.clevel, shuffle: BLOSC_SHUFFLE_V2[c.shuffle], blocksize: 0 };
      break;
    case 'zstd':
      compressor = { id: 'zstd', level: c.level };
      break;
    case 'gzip':
      compressor = { id: 'gzip', level: c.level };
      break;
    case 'none':
      compressor = null;
  }
  return {
    shape: spec.shape,
    chunks: spec.chunks,
    dtype: DATA_TYPES[spec.dtype].v2,
    fill_value: fillValueJson(spec),
    order: 'C',
    filters: null,
    dimension_separator: '/',
    compressor,
    zarr_format: 2,
  };
}

const BYTES_LE = { name: 'bytes', configuration: { endian: 'little' } };

/** The codec chain of one (inner) chunk in Zarr v3. */
export function chunkCodecsJson(spec: ArraySpec): Record<string, unknown>[] {
  const c = resolveCompressor(spec.compressor);
  // Single-byte types have no byte order, and zarr-python then writes `bytes` without one.
  const codecs: Record<string, unknown>[] = [DATA_TYPES[spec.dtype].itemsize === 1 ? { name: 'bytes' } : BYTES_LE];
  switch (c.id) {
    case 'blosc':
      codecs.push({
        name: 'blosc',
        configuration: { typesize: DATA_TYPES[spec.dtype].itemsize, cname: c.cname, clevel: c.clevel, shuffle: c.shuffle, blocksize: 0 },
      });
      break;
    case 'zstd':
      codecs.push({ name: 'zstd', configuration: { level: c.level, checksum: false } });
      break;
    case 'gzip':
      codecs.push({ name: 'gzip', configuration: { level: c.level } });
      break;
    case 'none':
      break;
  }
  return codecs;
}

/** The `zarr.json` document of an array (Zarr v3). */
export function zarrJson(spec: ArraySpec): Record<string, unknown> {
  const codecs = spec.shards
    ? [
        {
          name: 'sharding_indexed',
          configuration: {
            chunk_shape: spec.chunks,
            codecs: chunkCodecsJson(spec),
            index_codecs: [BYTES_LE, { name: 'crc32c' }],
            index_location: 'end',
          },
        },
      ]
    : chunkCodecsJson(spec);
  const doc: Record<string, unknown> = {
    shape: spec.shape,
    data_type: spec.dtype,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: spec.shards ?? spec.chunks } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: fillValueJson(spec),
    codecs,
    attributes: spec.attributes ?? {},
  };
  if (spec.dimensionNames) doc.dimension_names = spec.dimensionNames;
  return { ...doc, zarr_format: 3, node_type: 'array', storage_transformers: [] };
}

/** Store key (relative, "/"-separated) of the chunk or shard at `coords`. */
export function chunkKey(format: 2 | 3, coords: number[]): string {
  if (format === 2) return coords.length === 0 ? '0' : coords.join('/');
  return ['c', ...coords].join('/');
}

/** The write-block grid: the shard shape when sharded, otherwise the chunk shape. */
export function blockShapeOf(spec: ArraySpec): number[] {
  return spec.shards ?? spec.chunks;
}
