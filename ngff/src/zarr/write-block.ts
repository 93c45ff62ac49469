/**
 * One write: encode a block and store it as its chunk (or shard) file. The
 * same function runs on the main thread and, as a pool task, in a worker
 * (`write.worker.ts`), so both paths write identical bytes.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FairioError } from '../errors.js';
import { encodeBlock } from './encode.js';
import { chunkKey } from './metadata.js';
import type { ArraySpec, TypedArray } from './types.js';

export interface WriteTask {
  /** The array's folder. */
  dir: string;
  spec: ArraySpec;
  coords: number[];
  data: TypedArray;
  shape: number[];
  skipEmpty: boolean;
}

export interface WriteResult {
  /** Bytes written; 0 when the block held only the fill value and was left out. */
  bytes: number;
}

/** Encode the block and write (or, when it is all fill value, remove) its file. */
export async function writeBlockTask(task: WriteTask): Promise<WriteResult> {
  const file = path.join(task.dir, ...chunkKey(task.spec.format, task.coords).split('/'));
  const encoded = await encodeBlock(task.spec, task.data, task.shape, { skipEmpty: task.skipEmpty });
  try {
    if (!encoded) {
      // A stale chunk from an earlier write would otherwise shadow the fill value.
      await fs.rm(file, { force: true });
      return { bytes: 0 };
    }
    try {
      await fs.writeFile(file, encoded);
    } catch (error) {
      // Make the chunk's folders on the first write into them only.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, encoded);
    }
    return { bytes: encoded.length };
  } catch (error) {
    throw new FairioError('IO_ERROR', `cannot write chunk: ${(error as Error).message}`, { path: file, cause: error });
  }
}
