/**
 * Prediction tile by tile: read a tile's input region (padded where it
 * reaches past the image), pre-process it with statistics of the whole
 * image, run the model, post-process, and keep the pixels the tile owns.
 * `TiledPrediction.predictBox` answers any output box from the tiles that
 * own it, so an OME-Zarr writer can pull the prediction chunk by chunk.
 * `predictArrays` does the same for tensors in memory (tests, the browser).
 * Runtime-agnostic: the model runs through any `ModelRunner` (an
 * `OnnxModel` over onnxruntime-node or onnxruntime-web).
 */
import { copyOverlap, FairioError } from '@fairio/ngff/browser';
import { applyOps, type ProcessingOp } from '../processing/ops.js';
import { measuresByTensor, processingFor, type TensorProcessing } from '../processing/pipeline.js';
import { computeStats, wholeArray, type StatValues } from '../processing/stats.js';
import { allocate, fromSpares, size, strides, type Allocator, type NdArray, type Tensor, type TypedArray } from '../processing/tensor.js';
import type { ModelSpec, TensorSpec } from '../spec/model.js';
import { planTiles, tilesMeeting, tiles, type PlanOptions, type Tile, type TilePlan } from './plan.js';

export interface ModelRunner {
  /**
   * Inputs by position; the runner may take over their buffers while it runs
   * (tiles hand over tensors they do not read again). Once the promise
   * settles, `inputs[i].data` is a buffer the caller may refill: the one it
   * gave, or the same memory handed back from another thread.
   */
  run(inputs: NdArray[]): Promise<NdArray[]>;
}

/** One input tensor of a sample, in the model's axes, readable box by box. */
export interface InputAccess {
  shape: number[];
  /**
   * Pixels of [start, stop), which lies inside [0, shape), in a buffer the
   * caller then owns, from `allocate` (default: a fresh one), never a view of
   * data kept elsewhere: tiles are pre-processed in place.
   */
  read(start: number[], stop: number[], allocate?: Allocator): Promise<NdArray>;
}

/** Where tile index i along an axis reads from, for a pad mode; -1 = the constant. */
function sourceIndex(i: number, n: number, mode: TensorSpec['pad']['mode']): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge' || n === 1) return Math.min(n - 1, Math.max(0, i));
  if (mode === 'reflect') {
    const period = 2 * n - 2;
    let j = ((i % period) + period) % period;
    if (j >= n) j = period - j;
    return j;
  }
  // symmetric: the edge pixel is repeated (NumPy 'symmetric').
  const period = 2 * n;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - 1 - j;
  return j;
}

/**
 * Where a padded tile's rows and columns come from: the image box [lo, hi)
 * to read, and for the tile's last axis runs of columns that copy one
 * stretch of a box row (or take the constant, source −1), as
 * (first, end, source) triples. Per tile, not per pixel.
 */
interface PaddingPlan {
  lo: number[];
  hi: number[];
  /** The tile lies inside the image: the box is the tile. */
  identity: boolean;
  /** For each tile row (all axes but the last, C order): its offset in the box, or −1 for a row of the constant. */
  rowOffsets: Int32Array;
  runs: Int32Array;
}

function paddingPlan(imageShape: readonly number[], start: readonly number[], tile: readonly number[], mode: TensorSpec['pad']['mode']): PaddingPlan {
  const shape = Int32Array.from(imageShape);
  const regionStart = Int32Array.from(start);
  const tileShape = Int32Array.from(tile);
  const n = tileShape.length;
  const last = n - 1;
  // maps[d][k]: the image index that tile index k along axis d reads, or −1 (the constant).
  const maps: Int32Array[] = [];
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  let identity = true;
  for (let d = 0; d < n; d++) {
    const m = new Int32Array(tileShape[d]);
    let min = shape[d];
    let max = 0;
    for (let k = 0; k < m.length; k++) {
      const v = sourceIndex(regionStart[d] + k, shape[d], mode);
      m[k] = v;
      if (v !== regionStart[d] + k) identity = false;
      if (v >= 0 && v < min) min = v;
      if (v >= 0 && v + 1 > max) max = v + 1;
    }
    maps.push(m);
    lo[d] = min;
    hi[d] = max;
  }
  const boxStrides = strides(Array.from(hi, (h, d) => h - lo[d]));
  const rowOffsets = new Int32Array(size(Array.from(tileShape.subarray(0, last))));
  const pos = new Int32Array(last);
  for (let r = 0; r < rowOffsets.length; r++) {
    let base = 0;
    for (let d = 0; d < last; d++) {
      const v = maps[d][pos[d]];
      base = base < 0 || v < 0 ? -1 : base + (v - lo[d]) * boxStrides[d];
    }
    rowOffsets[r] = base;
    for (let d = last - 1; d >= 0 && ++pos[d] === tileShape[d]; d--) pos[d] = 0;
  }
  const runs: number[] = [];
  for (let k = 0; k < tileShape[last]; k++) {
    const v = maps[last][k];
    const source = v < 0 ? -1 : v - lo[last];
    const at = runs.length - 3;
    if (at >= 0 && ((source < 0 && runs[at + 2] < 0) || (source >= 0 && runs[at + 2] >= 0 && source === runs[at + 2] + (k - runs[at])))) runs[at + 1] = k + 1;
    else runs.push(k, k + 1, source);
  }
  return { lo: Array.from(lo), hi: Array.from(hi), identity, rowOffsets, runs: Int32Array.from(runs) };
}

/**
 * The padded tile's pixels from the box, row by row. Kept apart from the
 * planning and free of objects, so that the engine optimises this one small
 * loop once instead of recompiling a large function as argument shapes vary.
 */
function copyPadded(out: TypedArray, box: TypedArray, rowOffsets: Int32Array, runs: Int32Array, width: number, padValue: never): void {
  for (let r = 0, o = 0; r < rowOffsets.length; r++, o += width) {
    const base = rowOffsets[r];
    if (base < 0) {
      out.fill(padValue, o, o + width);
      continue;
    }
    for (let i = 0; i < runs.length; i += 3) {
      const first = runs[i];
      const end = runs[i + 1];
      const source = runs[i + 2];
      if (source < 0) out.fill(padValue, o + first, o + end);
      else out.set(box.subarray(base + source, base + source + end - first) as never, o + first);
    }
  }
}

/**
 * Read the input region [regionStart, regionStart + tileShape) with padding
 * outside the image, into a buffer from `take` (every element written); the
 * image box read for a padded tile is handed to `done` once copied.
 */
export async function readPadded(input: InputAccess, regionStart: number[], tileShape: number[], pad: TensorSpec['pad'], take: Allocator = allocate, done?: (data: NdArray['data']) => void): Promise<NdArray> {
  const plan = paddingPlan(input.shape, regionStart, tileShape, pad.mode);
  const box = await input.read(plan.lo, plan.hi, take);
  if (plan.identity) return box;
  const out = take(box.dtype, size(tileShape));
  const padValue = (box.dtype.endsWith('64') && box.dtype !== 'float64' ? BigInt(pad.value) : pad.value) as never;
  copyPadded(out, box.data, plan.rowOffsets, plan.runs, tileShape[tileShape.length - 1], padValue);
  done?.(box.data);
  return { data: out, shape: [...tileShape], dtype: box.dtype };
}

/** Copy `src` (placed at srcStart) ∩ [dstStart, dstStart + dst.shape) into dst. */
export function copyBox(src: NdArray, srcStart: readonly number[], dst: NdArray, dstStart: readonly number[]): void {
  copyOverlap(src.data, srcStart, src.shape.map((s, d) => srcStart[d] + s), dst.data, dstStart, dst.shape.map((s, d) => dstStart[d] + s));
}

interface OutputAxisMap {
  /** Index of the input axis it follows, or -1 (taken whole). */
  inputAxis: number;
}

/** A pool of buffers for reuse (ngff's `SpareArrays`). */
export interface Spares {
  take(type: new (n: number) => never, n: number): unknown;
  give(array: NdArray['data']): void;
}

export interface TiledPredictionOptions extends PlanOptions {
  /** Statistics of the whole image (input measures). */
  stats: StatValues;
  /**
   * Buffers for the input tiles and the cropped outputs: input tiles go back
   * once the model has run; a consumer of `predictBox` hands a box back here
   * when done with it (an OME-Zarr writer's `release`). Default: fresh arrays.
   */
  spare?: Spares;
}

export class TiledPrediction {
  readonly plan: TilePlan;
  readonly input: TensorSpec;
  private readonly pre: TensorProcessing;
  private readonly post: TensorProcessing[];
  private readonly outputMaps: OutputAxisMap[][];
  /** Whole output shapes, in each output's axes. */
  readonly outputShapes: number[][];

  constructor(
    readonly model: ModelSpec,
    private readonly runner: ModelRunner,
    private readonly source: InputAccess,
    private readonly options: TiledPredictionOptions,
  ) {
    if (model.inputs.length !== 1) throw new FairioError('UNSUPPORTED', `tiled prediction handles models with one input; this one has ${model.inputs.length}`);
    this.input = model.inputs[0];
    this.plan = planTiles(model, this.input, source.shape, options);
    this.pre = processingFor(this.input);
    this.post = model.outputs.map(processingFor);
    const outputMeasures = [...measuresByTensor(this.post).keys()].filter((id) => model.outputs.some((o) => o.id === id));
    if (outputMeasures.length) {
      throw new FairioError('UNSUPPORTED', `post-processing of "${outputMeasures.join(', ')}" needs statistics of the whole output, which tile-by-tile prediction cannot provide`);
    }
    this.outputMaps = model.outputs.map((out) => out.axes.map((axis) => this.mapAxis(out, axis)));
    this.outputShapes = model.outputs.map((out, j) =>
      out.axes.map((axis, k) => {
        const m = this.outputMaps[j][k];
        if (m.inputAxis >= 0) return source.shape[m.inputAxis];
        if (axis.size.kind === 'fixed') return axis.size.size;
        if (axis.type === 'batch') return 1;
        if (axis.size.kind === 'reference') return this.referencedSize(axis.size, source.shape);
        return -1; // known after the first tile
      }),
    );
  }

  private referencedSize(s: { tensorId: string; axisId: string; scale: number; offset: number }, shape: number[]): number {
    const i = this.input.axes.findIndex((a) => a.id === s.axisId);
    if (s.tensorId !== this.input.id || i < 0) throw new FairioError('UNSUPPORTED', `an output size refers to ${s.tensorId}.${s.axisId}, which fairio cannot resolve while tiling`);
    return Math.round(shape[i] * (Number.isFinite(s.scale) ? s.scale : 1) + s.offset);
  }

  private mapAxis(out: TensorSpec, axis: TensorSpec['axes'][number]): OutputAxisMap {
    if (axis.size.kind !== 'reference' || axis.size.tensorId !== this.input.id) return { inputAxis: -1 };
    const i = this.input.axes.findIndex((a) => a.id === (axis.size as { axisId: string }).axisId);
    if (i < 0 || !this.plan.axes[i].tiled) return { inputAxis: -1 };
    const scale = Number.isFinite(axis.size.scale) ? axis.size.scale : 1;
    if (scale !== 1 || axis.size.offset !== 0) {
      if (this.plan.grid[i] > 1) {
        throw new FairioError('UNSUPPORTED', `output "${out.id}" axis "${axis.id}" is ${scale}× its input${axis.size.offset ? ` ${axis.size.offset >= 0 ? '+' : ''}${axis.size.offset}` : ''}; fairio tiles only axes whose output matches the input pixel for pixel — use one tile (--tile 0)`);
      }
      return { inputAxis: -1 };
    }
    return { inputAxis: i };
  }

  get outputAxes(): string[][] {
    return this.model.outputs.map((o) => o.axes.map((a) => a.id));
  }

  /** Run one tile; returns each output cropped to the pixels the tile owns, with their start. */
  async runTile(tile: Tile): Promise<{ data: NdArray; start: number[] }[]> {
    const spare = this.options.spare;
    const take = spare ? fromSpares(spare) : allocate;
    const raw = await readPadded(this.source, tile.regionStart, this.plan.tileShape, this.input.pad, take, spare && ((d) => spare.give(d)));
    // The tile's buffer is ours (InputAccess.read), so pre-processing runs in place.
    const pre = applyOps(this.pre.ops, { ...raw, axes: this.input.axes.map((a) => a.id) }, this.options.stats, true);
    const results = await this.runner.run([pre]);
    // The runner gave the input's buffer back (or never took it): refill it for a later tile.
    spare?.give(pre.data);
    return results.map((result, j) => {
      const out = this.model.outputs[j];
      if (!out) return { data: result, start: result.shape.map(() => 0) };
      const maps = this.outputMaps[j];
      if (result.shape.length !== maps.length) throw new FairioError('INVALID_ARGUMENT', `output "${out.id}" has ${result.shape.length} dimensions, but ${maps.length} axes are declared`);
      const shape = this.outputShapes[j];
      maps.forEach((m, k) => {
        if (m.inputAxis < 0 && shape[k] === -1) shape[k] = result.shape[k];
      });
      // Crop: along tiled axes keep [ownStart, ownStop) of this tile; other axes whole.
      const start = maps.map((m) => (m.inputAxis >= 0 ? tile.ownStart[m.inputAxis] : 0));
      const cropShape = maps.map((m, k) => (m.inputAxis >= 0 ? tile.ownStop[m.inputAxis] - tile.ownStart[m.inputAxis] : result.shape[k]));
      maps.forEach((m, k) => {
        if (m.inputAxis >= 0 && result.shape[k] !== this.plan.tileShape[m.inputAxis]) {
          throw new FairioError('INVALID_ARGUMENT', `output "${out.id}" axis "${out.axes[k].id}" came out ${result.shape[k]} long for an input tile of ${this.plan.tileShape[m.inputAxis]}`);
        }
      });
      const cropped: NdArray = { data: take(result.dtype, size(cropShape)), shape: cropShape, dtype: result.dtype };
      const regionInOutput = maps.map((m) => (m.inputAxis >= 0 ? tile.regionStart[m.inputAxis] : 0));
      copyBox(result, regionInOutput, cropped, start);
      // Post-processing after the crop, on the owned pixels only: every op that can run tile by tile is
      // elementwise or works along the channel axis, which the crop keeps whole, so the numbers are the same.
      const post = applyOps(this.post[j].ops, { ...cropped, axes: out.axes.map((a) => a.id) }, this.options.stats, true);
      return { data: { data: post.data, shape: post.shape, dtype: post.dtype }, start };
    });
  }

  /** Output `index` for the box [start, stop) of its axes, from the tiles that own it. */
  async predictBox(index: number, start: number[], stop: number[]): Promise<NdArray> {
    const maps = this.outputMaps[index];
    const inStart = this.plan.axes.map(() => 0);
    const inStop = this.plan.axes.map((a) => a.size);
    maps.forEach((m, k) => {
      if (m.inputAxis >= 0) {
        inStart[m.inputAxis] = start[k];
        inStop[m.inputAxis] = stop[k];
      }
    });
    let box: NdArray | undefined;
    const owners = tilesMeeting(this.plan, inStart, inStop);
    for (const tile of owners) {
      const part = (await this.runTile(tile))[index];
      // One tile owning exactly the box (an output chunk grid of the inner size): its crop is the box.
      if (owners.length === 1 && part.start.every((s, k) => s === start[k]) && part.data.shape.every((n, k) => n === stop[k] - start[k])) return part.data;
      box ??= { data: allocate(part.data.dtype, size(stop.map((s, k) => s - start[k]))), shape: stop.map((s, k) => s - start[k]), dtype: part.data.dtype };
      copyBox(part.data, part.start, box, start);
      this.options.spare?.give(part.data.data);
    }
    return box!;
  }

  /** Every output in full (for images that fit in memory). */
  async predictAll(onTile?: (done: number, total: number) => void): Promise<NdArray[]> {
    let outputs: NdArray[] | undefined;
    let done = 0;
    for (const tile of tiles(this.plan)) {
      const parts = await this.runTile(tile);
      outputs ??= parts.map((p, j) => {
        const shape = this.outputShapes[j] ?? p.data.shape;
        return { data: allocate(p.data.dtype, size(shape)), shape: [...shape], dtype: p.data.dtype };
      });
      parts.forEach((p, j) => {
        copyBox(p.data, p.start, outputs![j], outputs![j].shape.map(() => 0));
        this.options.spare?.give(p.data.data);
      });
      onTile?.(++done, this.plan.count);
    }
    return outputs!;
  }
}

/** An in-memory tensor as `InputAccess`. */
export function arrayAccess(array: NdArray): InputAccess {
  return {
    shape: array.shape,
    async read(start, stop, take = allocate) {
      const shape = stop.map((s, d) => s - start[d]);
      const out: NdArray = { data: take(array.dtype, size(shape)), shape, dtype: array.dtype };
      copyBox(array, array.shape.map(() => 0), out, start);
      return out;
    },
  };
}

/** Input statistics of whole in-memory tensors. */
export async function inputStats(model: ModelSpec, inputs: NdArray[]): Promise<StatValues> {
  const pipelines = [...model.inputs, ...model.outputs].map(processingFor);
  const stats: StatValues = new Map();
  for (const [tensorId, measures] of measuresByTensor(pipelines)) {
    const i = model.inputs.findIndex((t) => t.id === tensorId);
    if (i < 0) continue;
    const input = inputs[i];
    for (const [k, v] of await computeStats(measures, { axes: model.inputs[i].axes.map((a) => a.id), shape: input.shape }, wholeArray(input.data, input.shape))) stats.set(k, v);
  }
  return stats;
}

export interface PredictArraysOptions extends PlanOptions {
  /**
   * 'direct': run the model once on the whole inputs, unpadded and uncropped
   * (bioimageio.core's model test); 'tiled' (default): the tile plan, padded by
   * the halo as bioimageio.core's blocked prediction.
   */
  mode?: 'direct' | 'tiled';
}

/** Predict in-memory input tensors (model axes) with the model's pre- and post-processing. */
export async function predictArrays(model: ModelSpec, runner: ModelRunner, inputs: NdArray[], options: PredictArraysOptions = {}): Promise<NdArray[]> {
  const stats = await inputStats(model, inputs);
  if (options.mode === 'direct') {
    const pre = model.inputs.map((t, i) => applyOps(processingFor(t).ops, { ...inputs[i], axes: t.axes.map((a) => a.id) }, stats));
    const raw = await runner.run(pre);
    const post = model.outputs.map(processingFor);
    // Statistics of outputs (rare) are measured on the raw outputs, before their post-processing.
    for (const [tensorId, measures] of measuresByTensor(post)) {
      const j = model.outputs.findIndex((t) => t.id === tensorId);
      if (j < 0) continue;
      for (const [k, v] of await computeStats(measures, { axes: model.outputs[j].axes.map((a) => a.id), shape: raw[j].shape }, wholeArray(raw[j].data, raw[j].shape))) stats.set(k, v);
    }
    return raw.map((r, j) => (model.outputs[j] ? stripAxes(applyOps(post[j].ops as ProcessingOp[], { ...r, axes: model.outputs[j].axes.map((a) => a.id) }, stats)) : r));
  }
  return new TiledPrediction(model, runner, arrayAccess(inputs[0]), { ...options, stats }).predictAll();
}

function stripAxes(t: Tensor): NdArray {
  return { data: t.data, shape: t.shape, dtype: t.dtype };
}
