/**
 * The `label` node: connected components of a mask, chunk-wise, equal to
 * `skimage.measure.label` pixel for pixel (same numbering, not just the same
 * partition). Each time point and channel is labelled on its own.
 *
 * 1. Every block is labelled in memory; its components get provisional ids
 *    (written to a temporary Zarr) and their first pixels are remembered; the
 *    block's boundary layers are saved beside it.
 * 2. Components that touch across block borders are joined, reading only
 *    those boundary layers (faces, and edges and corners where blocks meet
 *    diagonally).
 * 3. The joined components are numbered in raster order of their first pixel
 *    and the label image is written from the provisional ids.
 * Memory holds a few blocks plus a few numbers per provisional id, never the image.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FairioError, boundedMap, iterateBlocks, readBox, writeImage, type Block } from '@fairio/ngff';
import { runSettings, type AnalysisNode, type NodeRunContext, type NodeRunResult, type RunSettings } from '../node.js';
import { checkOutput, requireOutput, stringInput } from './common.js';
import { labelDescription } from './descriptions.js';
import { ComponentForest, labelBlock, neighbourhood } from './components.js';
import { PassProgress, imageView, labelOutputOptions, openImage, passBlockShape, throwIfAborted, type ImageView } from './image-view.js';

export interface LabelOptions extends RunSettings {
  /** 1..number of spatial axes (default: all of them, scikit-image's default). */
  connectivity?: number;
  /** Spatial block shape of the passes (default: whole chunks, about a million pixels). */
  block?: number[];
  /** Chunk shape of the label image (default: the mask's). */
  chunks?: number[];
}

export interface LabelResult {
  path: string;
  /** Number of objects (the largest label). */
  labels: number;
  connectivity: number;
  /** Pieces of objects found block by block, before joining across borders. */
  pieces: number;
}

/** Temporary folders of runs in progress, removed if the process exits midway. */
const workDirs = new Set<string>();
let exitHook = false;

function makeWorkDir(output: string): string {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  const target = path.resolve(output);
  const dir = path.join(path.dirname(target), `.${path.basename(target)}.label-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir);
  workDirs.add(dir);
  return dir;
}

/** Geometry of the block grid over the spatial axes of a view. */
class BlockGrid {
  readonly grid: number[];
  readonly spatial: number[];
  constructor(
    readonly shape: number[],
    readonly block: number[],
    readonly firstSpatial: number,
  ) {
    this.grid = shape.map((s, i) => Math.ceil(s / block[i]));
    this.spatial = shape.map((_, i) => i).filter((i) => i >= firstSpatial);
  }
  index(coords: number[]): number {
    let index = 0;
    for (let i = 0; i < coords.length; i++) index = index * this.grid[i] + coords[i];
    return index;
  }
  start(coords: number[]): number[] {
    return coords.map((c, i) => c * this.block[i]);
  }
  stop(coords: number[]): number[] {
    return coords.map((c, i) => Math.min(this.shape[i], (c + 1) * this.block[i]));
  }
}

/**
 * The boundary layers of every block (its first and last layer along each
 * spatial axis that has a neighbour there), one small file per block: all
 * that joining across borders needs to read.
 */
class FaceStore {
  constructor(
    private readonly dir: string,
    private readonly grid: BlockGrid,
  ) {
    fs.mkdirSync(dir);
  }

  private file(coords: number[]): string {
    return path.join(this.dir, `${this.grid.index(coords)}.u32`);
  }

  /** Where each layer of a block lies in its file: [axis d] → { first?, last? } offsets, and the layer geometry. */
  layout(coords: number[]): { extent: number[]; layers: Map<number, { first?: number; last?: number; outer: number; size: number; inner: number }>; length: number } {
    const { shape, spatial } = this.grid;
    const start = this.grid.start(coords);
    const stop = this.grid.stop(coords);
    const extent = spatial.map((d) => stop[d] - start[d]);
    const layers = new Map<number, { first?: number; last?: number; outer: number; size: number; inner: number }>();
    let offset = 0;
    spatial.forEach((d, k) => {
      const outer = extent.slice(0, k).reduce((a, b) => a * b, 1);
      const inner = extent.slice(k + 1).reduce((a, b) => a * b, 1);
      const entry: { first?: number; last?: number; outer: number; size: number; inner: number } = { outer, size: extent[k], inner };
      if (start[d] > 0) {
        entry.first = offset;
        offset += outer * inner;
      }
      if (stop[d] < shape[d]) {
        entry.last = offset;
        offset += outer * inner;
      }
      layers.set(d, entry);
    });
    return { extent, layers, length: offset };
  }

  async write(coords: number[], labels: Uint32Array): Promise<void> {
    const { layers, length } = this.layout(coords);
    if (length === 0) return;
    const out = new Uint32Array(length);
    for (const { first, last, outer, size, inner } of layers.values()) {
      for (const [at, p] of [
        [first, 0],
        [last, size - 1],
      ] as const) {
        if (at === undefined) continue;
        for (let o = 0; o < outer; o++) out.set(labels.subarray((o * size + p) * inner, (o * size + p) * inner + inner), at + o * inner);
      }
    }
    await fs.promises.writeFile(this.file(coords), out);
  }

  async read(coords: number[]): Promise<Uint32Array> {
    const bytes = await fs.promises.readFile(this.file(coords));
    return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
}

/** Subsets of `axes` with 1..max members. */
function subsets(axes: number[], max: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << axes.length; mask++) {
    const members = axes.filter((_, k) => mask & (1 << k));
    if (members.length <= max) out.push(members);
  }
  return out;
}

/**
 * Join the pieces of block `coords` with those of the blocks after it along
 * any combination of spatial axes. For a set D of axes, the box that spans
 * the borders along D (2 pixels thick there, the block's extent elsewhere)
 * holds every neighbour pair split between these blocks; its pixels are read
 * from the saved boundary layers.
 */
async function joinAcrossBorders(forest: ComponentForest, faces: FaceStore, grid: BlockGrid, coords: number[], connectivity: number, forward: number[][]): Promise<() => void> {
  const upper = grid.spatial.filter((d) => coords[d] + 1 < grid.grid[d]);
  const sets = subsets(upper, connectivity);
  if (sets.length === 0) return () => undefined;
  // The blocks involved: this one plus one step up along every subset of the axes.
  const neighbours = new Map<string, { start: number[]; layout: ReturnType<FaceStore['layout']>; data: Promise<Uint32Array> }>();
  const blockAt = (steps: number[]) => {
    const key = steps.join(',');
    let entry = neighbours.get(key);
    if (!entry) {
      const c = coords.map((v, i) => (steps.includes(i) ? v + 1 : v));
      entry = { start: grid.start(c), layout: faces.layout(c), data: faces.read(c) };
      neighbours.set(key, entry);
    }
    return entry;
  };
  const needed = [[], ...sets.flatMap((set) => subsets(set, set.length))];
  for (const steps of needed) blockAt(steps);
  const loaded = new Map<string, Uint32Array>();
  for (const [key, entry] of neighbours) loaded.set(key, await entry.data);

  return () => {
    const start = grid.start(coords);
    const stop = grid.stop(coords);
    const spatial = grid.spatial;
    for (const set of sets) {
      // The box, over the spatial axes.
      const lo = spatial.map((d) => (set.includes(d) ? stop[d] - 1 : start[d]));
      const hi = spatial.map((d) => (set.includes(d) ? stop[d] + 1 : stop[d]));
      const boxShape = lo.map((l, k) => hi[k] - l);
      const size = boxShape.reduce((a, b) => a * b, 1);
      const box = new Uint32Array(size);
      const x = [...lo];
      for (let i = 0; i < size; i++) {
        // Which block holds x: one step up along the axes of the set where x is past the border.
        const past = set.filter((d) => x[spatial.indexOf(d)] === stop[d]);
        const entry = neighbours.get(past.join(','))!;
        const layerAxis = past.length ? past[0] : set[0];
        const layer = entry.layout.layers.get(layerAxis)!;
        const at = past.length ? layer.first! : layer.last!;
        // Position inside the layer: C order over the block's spatial extent without the layer axis.
        let index = 0;
        spatial.forEach((d, k) => {
          if (d === layerAxis) return;
          index = index * entry.layout.extent[k] + (x[k] - entry.start[d]);
        });
        box[i] = loaded.get(past.join(','))![at + index];
        for (let k = spatial.length - 1; k >= 0; k--) {
          if (++x[k] < hi[k]) break;
          x[k] = lo[k];
        }
      }
      unitePairs(forest, box, boxShape, forward);
    }
  };
}

/** Union every pair of neighbouring labelled pixels of a small box. */
function unitePairs(forest: ComponentForest, box: Uint32Array, shape: number[], forward: number[][]): void {
  const n = shape.length;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const x = new Array<number>(n).fill(0);
  for (let i = 0; i < box.length; i++) {
    const a = box[i];
    if (a !== 0) {
      for (const v of forward) {
        let j = i;
        let inside = true;
        for (let k = 0; k < n; k++) {
          const y = x[k] + v[k];
          if (y < 0 || y >= shape[k]) {
            inside = false;
            break;
          }
          j += v[k] * strides[k];
        }
        if (!inside) continue;
        const b = box[j];
        if (b !== 0 && b !== a) forest.union(a, b);
      }
    }
    for (let k = n - 1; k >= 0; k--) {
      if (++x[k] < shape[k]) break;
      x[k] = 0;
    }
  }
}

/** Label the connected components of the mask at `input` into a label image at `output` (atomically). */
export async function labelImage(input: string, output: string, options: LabelOptions = {}): Promise<LabelResult> {
  checkOutput(output, options.overwrite);
  const image = await openImage(input, 'mask');
  const view: ImageView = imageView(image, input, { channels: 'keep' });
  const ndim = view.shape.length - view.firstSpatial;
  const connectivity = options.connectivity ?? ndim;
  if (!Number.isInteger(connectivity) || connectivity < 1 || connectivity > ndim) {
    throw new FairioError('INVALID_ARGUMENT', `connectivity must be 1..${ndim} for an image with ${ndim} spatial axes, not ${connectivity}`, { path: input });
  }
  const block = passBlockShape(view, options.block);
  const grid = new BlockGrid(view.shape, block, view.firstSpatial);
  const blockTotal = grid.grid.reduce((a, b) => a * b, 1);
  const progress = new PassProgress(options.onProgress, [blockTotal, blockTotal, blockTotal]);
  const strides = view.shape.map((_, i) => view.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const work = makeWorkDir(output);
  try {
    // 1. Components of each block, with provisional ids.
    const forest = new ComponentForest();
    const faces = new FaceStore(path.join(work, 'faces'), grid);
    const provisionalPath = path.join(work, 'provisional.ome.zarr');
    await writeImage(
      provisionalPath,
      {
        shape: view.shape,
        dtype: 'uint32',
        async read(start, stop) {
          const pixels = await view.read(start, stop);
          throwIfAborted(options.signal);
          const spatialStart = start.slice(view.firstSpatial);
          const extent = stop.slice(view.firstSpatial).map((s, k) => s - spatialStart[k]);
          const { labels, count, first } = labelBlock(pixels, extent, connectivity);
          const sliceOffset = start.slice(0, view.firstSpatial).reduce((acc, s, i) => acc + s * strides[i], 0);
          const base = forest.add(count, (k) => {
            // Block-local linear index → linear index in the whole image.
            let local = first[k];
            let global = sliceOffset;
            for (let d = extent.length - 1; d >= 0; d--) {
              global += (spatialStart[d] + (local % extent[d])) * strides[view.firstSpatial + d];
              local = Math.floor(local / extent[d]);
            }
            return global;
          });
          if (base > 0) for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) labels[i] += base;
          await faces.write(
            start.map((s, i) => s / block[i]),
            labels,
          );
          return labels;
        },
      },
      {
        axes: view.axes,
        chunks: block,
        levels: 1,
        compressor: { id: 'blosc', cname: 'lz4', clevel: 1, shuffle: 'shuffle' },
        workers: options.workers,
        onProgress: progress.writer(0, 'labelling blocks'),
      },
    );

    // 2. Join pieces across block borders.
    const forward = neighbourhood(ndim, connectivity, 'forward');
    for await (const join of boundedMap(
      iterateBlocks(view.shape, block),
      (b: Block) => joinAcrossBorders(forest, faces, grid, b.coords, connectivity, forward),
      8,
    )) {
      throwIfAborted(options.signal);
      join();
      progress.step('joining across block borders');
    }
    fs.rmSync(path.join(work, 'faces'), { recursive: true, force: true });

    // 3. Number in raster order of first pixels and write the label image.
    const pieces = forest.size;
    const { final, count } = forest.number();
    const provisional = (await openImage(provisionalPath, 'provisional labels')).levels[0];
    await writeImage(
      output,
      {
        shape: view.shape,
        dtype: 'uint32',
        async read(start, stop) {
          throwIfAborted(options.signal);
          const ids = (await readBox(provisional.array, start, stop, provisionalPath)) as Uint32Array;
          for (let i = 0; i < ids.length; i++) ids[i] = final[ids[i]];
          return ids;
        },
      },
      {
        ...labelOutputOptions(image, view, input, 'labels', options),
        imageLabel: {},
        onProgress: progress.writer(2, 'writing labels'),
      },
    );
    return { path: output, labels: count, connectivity, pieces };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    workDirs.delete(work);
  }
}

export const labelNode: AnalysisNode = {
  description: labelDescription,
  async run(context: NodeRunContext): Promise<NodeRunResult> {
    const result = await labelImage(stringInput(context, 'mask'), requireOutput(context, 'labels'), {
      connectivity: context.parameters.connectivity as number | undefined,
      ...runSettings(context),
    });
    return { outputs: { labels: result.path }, summary: { labelCount: result.labels, connectivity: result.connectivity } };
  },
};
