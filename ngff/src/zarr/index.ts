/**
 * Fairio's Zarr writer: creates v2 and v3 arrays (v3 optionally sharded) in a
 * local folder and writes whole chunks whose bytes zarr-python and zarrita
 * read back. Reading stays with zarrita.
 *
 * ```ts
 * import { createArray, createEncodePool } from './zarr/index.js';
 *
 * const pool = createEncodePool({ size: 4 });
 * const writer = await createArray('image.zarr/0', {
 *   format: 3, shape: [2000, 3000], chunks: [256, 256], shards: [1024, 1024],
 *   dtype: 'uint16', compressor: { id: 'blosc', cname: 'zstd' },
 * }, { pool });
 * await writer.writeBlock([1, 2], pixels, [976, 1024]); // edge shard, clipped shape
 * await pool.close();
 * ```
 */
export type { DataType, TypedArray, Compressor, BloscCompressor, ZstdCompressor, GzipCompressor, ArraySpec } from './types.js';
export { DATA_TYPES } from './types.js';
export { createArray, writeGroup, createEncodePool, type ArrayWriter, type CreateArrayOptions, type EncodePool } from './writer.js';
export { encodeBlock, encodeChunk, encodeShard, type EncodeOptions } from './encode.js';
export { writeBlockTask, type WriteTask, type WriteResult } from './write-block.js';
export { zarrayJson, zarrJson, chunkKey, blockShapeOf, resolveCompressor, checkSpec, type ResolvedCompressor } from './metadata.js';
export { crc32c } from './crc32c.js';
