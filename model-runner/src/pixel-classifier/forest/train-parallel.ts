/**
 * Training a forest on ngff's WorkerPool: the training set goes into shared
 * memory once, each task grows a range of trees, and the trees come back in
 * order — identical to `trainForest` on one thread for the same seed.
 */
import * as os from 'node:os';
import { WorkerPool } from '@fairio/ngff';
import { growTrees, packForest, type ForestOptions, type PackedForest } from './forest.js';
import type { TrainingSet, TreeArrays, TreeOptions } from './tree.js';

export interface TrainTask {
  values: SharedArrayBuffer;
  classes: SharedArrayBuffer;
  samples: number;
  features: number;
  classCount: number;
  seed: number;
  first: number;
  count: number;
  options: TreeOptions;
}

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./train.worker.${ext}`, import.meta.url);
}

function shared(array: Float32Array | Uint8Array): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return buffer;
}

export interface ParallelOptions extends ForestOptions {
  /** Worker threads (default: available parallelism; 0 or 1 trains on this thread). */
  workers?: number;
  onProgress?: (treesDone: number, trees: number) => void;
}

export async function trainForestParallel(data: TrainingSet, options: ParallelOptions = {}): Promise<PackedForest> {
  const trees = options.trees ?? 100;
  const seed = options.seed ?? 0;
  const treeOptions: TreeOptions = { featuresPerSplit: options.featuresPerSplit, bootstrap: options.bootstrap };
  const workers = Math.min(options.workers ?? os.availableParallelism(), trees);
  if (workers <= 1) {
    const grown: TreeArrays[] = [];
    for (let t = 0; t < trees; t++) {
      grown.push(...growTrees(data, seed, t, 1, treeOptions));
      options.onProgress?.(t + 1, trees);
    }
    return packForest(grown, data.classCount, data.features);
  }
  const pool = new WorkerPool<TrainTask, TreeArrays[]>(workerUrl(), { size: workers, name: 'fairio-forest' });
  try {
    const values = shared(data.values);
    const classes = shared(data.classes);
    const chunk = Math.max(1, Math.ceil(trees / (workers * 4)));
    const ranges: [number, number][] = [];
    for (let first = 0; first < trees; first += chunk) ranges.push([first, Math.min(chunk, trees - first)]);
    const grown: TreeArrays[] = [];
    for await (const part of pool.map(ranges, ([first, count]) => ({
      values, classes, samples: data.samples, features: data.features, classCount: data.classCount, seed, first, count, options: treeOptions,
    }))) {
      grown.push(...part);
      options.onProgress?.(grown.length, trees);
    }
    return packForest(grown, data.classCount, data.features);
  } finally {
    await pool.close();
  }
}
