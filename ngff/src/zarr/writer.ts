/**
 * Creating Zarr arrays and groups in a local folder and writing whole chunks
 * (or whole shards) into them, optionally encoded on a worker pool.
 *
 * Chunks that native zstd compresses (zstd, blosc-zstd without bitshuffle;
 * see `compress.ts`) are encoded on the calling thread even when a pool is
 * given: libzstd runs on its own threads anyway, and on 2 cores this was
 * faster than the pool in most runs (about 5 % for a 1 GiB TIFF conversion,
 * up to 15 % in `tests/bench/encode-throughput.ts`); `nativeOnPool` sends them to the pool
 * all the same.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { blockAt } from '../blocks/plan.js';
import { WorkerPool, type WorkerPoolOptions } from '../blocks/pool.js';
import { FairioError } from '../errors.js';
import { compressesNatively } from './compress.js';
import { blockShapeOf, checkSpec, resolveCompressor, zarrJson, zarrayJson } from './metadata.js';
import type { ArraySpec, TypedArray } from './types.js';
import { writeBlockTask, type WriteResult, type WriteTask } from './write-block.js';

/** A pool of workers that encode and write chunks (see `createEncodePool`). */
export type EncodePool = WorkerPool<WriteTask, WriteResult>;

export interface CreateArrayOptions {
  /**
   * Encode and write on these workers instead of the main thread (except
   * chunks for native zstd, unless `nativeOnPool`).
   */
  pool?: EncodePool;
  /** With a pool: send chunks that native zstd compresses to the pool too (default false). */
  nativeOnPool?: boolean;
  /**
   * With a pool: move each block's pixel buffer to the worker instead of
   * copying it (default true). The caller's typed array is then detached and
   * must not be used again. Views on part of a larger buffer are always copied.
   * Blocks encoded on the calling thread are neither moved nor copied.
   */
  transfer?: boolean;
  /** Leave out chunks holding only the fill value, as zarr-python does (default true). */
  skipEmpty?: boolean;
}

export interface ArrayWriter {
  readonly spec: ArraySpec;
  readonly dir: string;
  /** The write-block grid: chunk shape, or shard shape when sharded. */
  readonly blockShape: number[];
  /**
   * Write one whole chunk (or, when sharded, one whole shard) at grid
   * coordinates. `data` is C-order with the block's actual shape, clipped at
   * the array's edge (the full block shape is accepted too); edge blocks are
   * padded with the fill value.
   */
  writeBlock(coords: number[], data: TypedArray, shape: number[]): Promise<void>;
}

/** The encode worker, as `.ts` when running from source and `.js` from `dist/`. */
function encodeWorkerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./write.worker.${ext}`, import.meta.url);
}

/** A worker pool for `createArray(dir, spec, { pool })`; close it when done. */
export function createEncodePool(options: WorkerPoolOptions = {}): EncodePool {
  return new WorkerPool<WriteTask, WriteResult>(encodeWorkerUrl(), { name: 'fairio-encode', ...options });
}

async function writeJson(file: string, doc: unknown): Promise<void> {
  try {
    await fs.writeFile(file, JSON.stringify(doc, null, 2));
  } catch (error) {
    throw new FairioError('IO_ERROR', `cannot write metadata: ${(error as Error).message}`, { path: file, cause: error });
  }
}

async function makeDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    throw new FairioError('IO_ERROR', `cannot create folder: ${(error as Error).message}`, { path: dir, cause: error });
  }
}

/**
 * Write the array metadata (`.zarray` [+ `.zattrs`] for v2 with
 * dimension_separator "/", `zarr.json` for v3 with chunk keys `c/…`) into the
 * folder `dir` (created if needed) and return a writer for its blocks.
 */
export async function createArray(dir: string, spec: ArraySpec, options: CreateArrayOptions = {}): Promise<ArrayWriter> {
  checkSpec(spec);
  const frozen: ArraySpec = structuredClone(spec);
  await makeDir(dir);
  if (spec.format === 2) {
    await writeJson(path.join(dir, '.zarray'), zarrayJson(frozen));
    if (frozen.attributes && Object.keys(frozen.attributes).length > 0) await writeJson(path.join(dir, '.zattrs'), frozen.attributes);
  } else {
    await writeJson(path.join(dir, 'zarr.json'), zarrJson(frozen));
  }
  return new Writer(dir, frozen, options);
}

/** Write a group: `.zgroup` + `.zattrs` (v2) or `zarr.json` with node_type group (v3). */
export async function writeGroup(dir: string, format: 2 | 3, attributes: Record<string, unknown>): Promise<void> {
  if (format !== 2 && format !== 3) throw new FairioError('INVALID_ARGUMENT', `Zarr format must be 2 or 3, got ${format}`);
  await makeDir(dir);
  if (format === 2) {
    await writeJson(path.join(dir, '.zgroup'), { zarr_format: 2 });
    await writeJson(path.join(dir, '.zattrs'), attributes);
  } else {
    await writeJson(path.join(dir, 'zarr.json'), { attributes, zarr_format: 3, node_type: 'group' });
  }
}

class Writer implements ArrayWriter {
  readonly blockShape: number[];
  readonly #pool?: EncodePool;
  readonly #transfer: boolean;
  readonly #skipEmpty: boolean;
  readonly #nativeOnPool: boolean;
  /** Whether blocks skip the pool because native zstd compresses them; decided on the first block. */
  #onThisThread?: Promise<boolean>;
  /** The spec sent with each task, without attributes (they can be large and encoding does not need them). */
  readonly #taskSpec: ArraySpec;

  constructor(
    readonly dir: string,
    readonly spec: ArraySpec,
    options: CreateArrayOptions,
  ) {
    this.blockShape = blockShapeOf(spec);
    this.#pool = options.pool;
    this.#transfer = options.transfer ?? true;
    this.#skipEmpty = options.skipEmpty ?? true;
    this.#nativeOnPool = options.nativeOnPool ?? false;
    this.#taskSpec = { ...spec, attributes: undefined };
  }

  async writeBlock(coords: number[], data: TypedArray, shape: number[]): Promise<void> {
    const block = blockAt(this.spec.shape, this.blockShape, coords);
    const clipped = block.stop.map((s, i) => s - block.start[i]);
    if (shape.length !== clipped.length || shape.some((s, i) => s !== clipped[i] && s !== this.blockShape[i])) {
      throw new FairioError(
        'INVALID_ARGUMENT',
        `block ${JSON.stringify(coords)} of ${this.dir} has shape ${JSON.stringify(clipped)} (or ${JSON.stringify(this.blockShape)} padded), got ${JSON.stringify(shape)}`,
      );
    }
    const task: WriteTask = { dir: this.dir, spec: this.#taskSpec, coords, data, shape, skipEmpty: this.#skipEmpty };
    if (!this.#pool || (await this.#encodeHere())) {
      await writeBlockTask(task);
      return;
    }
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
    await this.#pool.run(task, this.#transfer && whole ? [data.buffer] : []);
  }

  #encodeHere(): Promise<boolean> {
    this.#onThisThread ??= this.#nativeOnPool ? Promise.resolve(false) : compressesNatively(resolveCompressor(this.spec.compressor));
    return this.#onThisThread;
  }
}
