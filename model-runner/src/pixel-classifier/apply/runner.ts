/**
 * Features and predictions block by block over an image of any size: a
 * block of the output (t fixed, a box in z, y, x) is read from the input
 * with the halo the feature bank needs (clipped at the image edge), and
 * computed on a worker pool. Memory per block in flight: the haloed input
 * and the block's features.
 */
import * as os from 'node:os';
import { FairioError, WorkerPool } from '@fairio/ngff';
import { featureChannels, checkScalesFit, type FeatureSelection } from '../features/bank.js';
import type { PackedForest } from '../forest/forest.js';
import { channelsOf, type ImageInput } from '../image-input.js';
import { haloedBox, haloPerAxis } from './region.js';
import { runBlockTask, shareForest, type BlockTask, type SharedForest } from './tasks.js';

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./block.worker.${ext}`, import.meta.url);
}

export interface RunnerOptions {
  /** Worker threads (default: available parallelism; 0 computes on this thread). */
  workers?: number;
  forest?: PackedForest;
}

/** Whether an image is filtered as 2D or 3D: 3D when it has a z axis longer than 1. */
export function spatialDimsOf(image: ImageInput): 2 | 3 {
  return image.shape5[2] > 1 ? 3 : 2;
}

export class BlockRunner {
  readonly spatialDims: 2 | 3;
  /** Halo along z, y, x. */
  readonly halo: number[];
  readonly channels: number;
  readonly featureCount: number;
  readonly #pool?: WorkerPool<BlockTask, Float32Array | Uint8Array>;
  readonly #forest?: SharedForest;

  constructor(
    readonly image: ImageInput,
    readonly selection: FeatureSelection,
    options: RunnerOptions = {},
  ) {
    this.spatialDims = spatialDimsOf(image);
    const [, channels, z, y, x] = image.shape5;
    checkScalesFit(selection, this.spatialDims === 3 ? [z, y, x] : [y, x]);
    this.halo = this.spatialDims === 3 ? haloPerAxis(selection, 3) : [0, ...haloPerAxis(selection, 2)];
    this.channels = channels;
    this.featureCount = featureChannels(selection, channels, this.spatialDims).length;
    if (options.forest) {
      if (options.forest.featureCount !== this.featureCount) {
        throw new FairioError('INVALID_ARGUMENT', `the classifier expects ${options.forest.featureCount} features but this image gives ${this.featureCount}`, { path: image.location });
      }
      this.#forest = shareForest(options.forest);
    }
    const workers = options.workers ?? os.availableParallelism();
    if (workers > 0) this.#pool = new WorkerPool(workerUrl(), { size: workers, name: 'fairio-classifier' });
  }

  get workers(): number {
    return this.#pool?.size ?? 1;
  }

  /**
   * Compute `kind` for time point t and the spatial box [lo, hi) (z, y, x; z is
   * [0, 1) for 2D images). `positions` (kind 'samples') index that box in C order.
   */
  async run(kind: BlockTask['kind'], t: number, lo: number[], hi: number[], positions?: Int32Array): Promise<Float32Array | Uint8Array> {
    const [, channels, Z, Y, X] = this.image.shape5;
    const size = [Z, Y, X];
    const { lo: rlo, hi: rhi } = haloedBox(this.halo, size, { lo, hi });
    const raw = await this.image.read([t, 0, ...rlo], [t + 1, channels, ...rhi]);
    const pixels = channelsOf(raw, channels);
    const dims = this.spatialDims === 3 ? [0, 1, 2] : [1, 2];
    const task: BlockTask = {
      kind,
      channels: pixels,
      shape: dims.map((d) => rhi[d] - rlo[d]),
      lo: dims.map((d) => lo[d] - rlo[d]),
      hi: dims.map((d) => hi[d] - rlo[d]),
      selection: this.selection,
      forest: this.#forest,
      positions,
    };
    if ((kind === 'probabilities' || kind === 'segmentation') && !this.#forest) throw new FairioError('INVALID_ARGUMENT', 'prediction needs a classifier');
    if (!this.#pool) return runBlockTask(task);
    return this.#pool.run(task, [...pixels.map((p) => p.buffer as ArrayBuffer), ...(positions ? [positions.buffer as ArrayBuffer] : [])]);
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}
