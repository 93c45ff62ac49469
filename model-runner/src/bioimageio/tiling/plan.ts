/**
 * Tile plans, the way bioimageio.core blocks a sample: along each axis the
 * model can tile, a tile of valid input size T (the static size, or
 * `min + n·step` chosen from the requested size) carries a halo h on each
 * side, so its inner part is T − 2h. Inner parts start at 0, T − 2h, … and
 * the last one is shifted back to end at the image border (it overlaps its
 * neighbour instead of running past the image). Where a tile reaches past
 * the image, the input is padded (symmetric by default).
 *
 * Each output pixel is taken from exactly one tile: tile k owns
 * [k·inner, (k+1)·inner), so an output chunk grid of the inner size maps
 * one chunk to one tile and nothing is computed twice. (bioimageio.core lets
 * the shifted last tile overwrite the overlap instead; both are cropped,
 * valid predictions.) Runtime-agnostic.
 */
import { FairioError } from '@fairio/ngff/browser';
import type { AxisSpec, ModelSpec, TensorSpec } from '../spec/model.js';

export interface AxisTiling {
  /** Axis id of the input tensor. */
  id: string;
  /** Image size along the axis. */
  size: number;
  /** Input tile size, including both halos. */
  tile: number;
  /** Input halo on each side. */
  halo: number;
  /** Inner size (tile − 2·halo); the last inner part may overlap the one before. */
  inner: number;
  /** Tiled (space/time axes) or taken whole (batch, channel, fixed-size axes). */
  tiled: boolean;
}

export interface Tile {
  index: number;
  /** The output pixels this tile provides: [ownStart, ownStop), inside its inner part. */
  ownStart: number[];
  ownStop: number[];
  /** Inner region in input (= output) coordinates: [innerStart, innerStop). */
  innerStart: number[];
  innerStop: number[];
  /** Input region with halo, possibly reaching past the image: [regionStart, regionStart + tile). */
  regionStart: number[];
}

export interface TilePlan {
  input: TensorSpec;
  axes: AxisTiling[];
  /** Input shape of every tile. */
  tileShape: number[];
  /** Tiles along each axis. */
  grid: number[];
  count: number;
}

function validSizes(axis: AxisSpec): { min: number; step: number } | undefined {
  if (axis.size.kind === 'fixed') return { min: axis.size.size, step: 0 };
  if (axis.size.kind === 'parameterized') return { min: axis.size.min, step: axis.size.step };
  return undefined;
}

/** Smallest valid size ≥ n, or the largest valid size ≤ n when `down`. */
function validSize(v: { min: number; step: number }, n: number, down = false): number {
  if (v.step === 0 || n <= v.min) return v.min;
  const k = (down ? Math.floor : Math.ceil)((n - v.min) / v.step);
  return v.min + k * v.step;
}

/**
 * Input halo per input axis: the largest output halo among outputs whose
 * axis takes its size from that input axis, converted by the size ratio.
 */
export function inputHalo(model: ModelSpec, input: TensorSpec): number[] {
  return input.axes.map((axis) => {
    let halo = 0;
    for (const out of model.outputs) {
      for (const a of out.axes) {
        if (a.halo && a.size.kind === 'reference' && a.size.tensorId === input.id && a.size.axisId === axis.id) {
          const scale = Number.isFinite(a.size.scale) && a.size.scale > 0 ? a.size.scale : 1;
          halo = Math.max(halo, Math.ceil(a.halo / scale));
        }
      }
    }
    return halo;
  });
}

export interface PlanOptions {
  /**
   * Wanted input tile size per axis id (e.g. { y: 512, x: 512 }); a number
   * applies to every tiled axis. Infinity (or 0) means: one tile for the
   * whole image. Sizes are rounded to a valid size of the model.
   */
  tile?: number | Record<string, number>;
}

/** Default wanted tile: bioimageio.core's default block size parameter n = 10 (min + 10·step), at least 512. */
const DEFAULT_N = 10;

export function planTiles(model: ModelSpec, input: TensorSpec, imageShape: number[], options: PlanOptions = {}): TilePlan {
  if (imageShape.length !== input.axes.length) throw new FairioError('INVALID_ARGUMENT', `input "${input.id}" has ${input.axes.length} axes but the image tensor has ${imageShape.length}`);
  const halos = inputHalo(model, input);
  const axes: AxisTiling[] = input.axes.map((axis, i) => {
    const size = imageShape[i];
    const halo = halos[i];
    const valid = validSizes(axis);
    const tiled = (axis.type === 'space' || axis.type === 'time') && valid !== undefined;
    if (!tiled) {
      if (valid && valid.step === 0 && valid.min !== size) {
        throw new FairioError('INVALID_ARGUMENT', `axis "${axis.id}" of input "${input.id}" must have size ${valid.min}, not ${size}`);
      }
      return { id: axis.id, size, tile: size, halo: 0, inner: size, tiled: false };
    }
    const wanted = typeof options.tile === 'number' ? options.tile : options.tile?.[axis.id];
    const whole = size + 2 * halo;
    let tile: number;
    if (valid.step === 0) tile = valid.min;
    else if (wanted === undefined) tile = Math.min(validSize(valid, whole), Math.max(validSize(valid, valid.min + DEFAULT_N * valid.step), validSize(valid, 512, true)));
    else if (!Number.isFinite(wanted) || wanted <= 0 || wanted >= whole) tile = validSize(valid, whole);
    else tile = Math.max(valid.min, validSize(valid, wanted, true));
    if (tile - 2 * halo <= 0) {
      throw new FairioError('INVALID_ARGUMENT', `a tile of ${tile} along "${axis.id}" leaves nothing inside its halo of ${halo}; choose a larger tile`);
    }
    return { id: axis.id, size, tile, halo, inner: tile - 2 * halo, tiled: true };
  });
  const grid = axes.map((a) => (a.tiled ? Math.max(1, Math.ceil(a.size / a.inner)) : 1));
  return { input, axes, tileShape: axes.map((a) => a.tile), grid, count: grid.reduce((x, y) => x * y, 1) };
}

/** Inner range and region start of tile k along one axis. */
function along(a: AxisTiling, k: number): { start: number; stop: number; region: number; own: [number, number] } {
  if (!a.tiled) return { start: 0, stop: a.size, region: 0, own: [0, a.size] };
  if (a.size <= a.inner) return { start: 0, stop: a.size, region: -a.halo, own: [0, a.size] };
  const p = k * a.inner;
  const start = Math.min(p, a.size - a.inner);
  return { start, stop: Math.min(start + a.inner, a.size), region: start - a.halo, own: [p, Math.min(p + a.inner, a.size)] };
}

export function tileAt(plan: TilePlan, coords: number[], index = 0): Tile {
  const parts = plan.axes.map((a, i) => along(a, coords[i]));
  return {
    index,
    ownStart: parts.map((p) => p.own[0]),
    ownStop: parts.map((p) => p.own[1]),
    innerStart: parts.map((p) => p.start),
    innerStop: parts.map((p) => p.stop),
    regionStart: parts.map((p) => p.region),
  };
}

/** All tiles in C order. */
export function* tiles(plan: TilePlan): Generator<Tile> {
  const coords = plan.grid.map(() => 0);
  for (let index = 0; index < plan.count; index++) {
    yield tileAt(plan, coords, index);
    for (let d = coords.length - 1; d >= 0; d--) {
      if (++coords[d] < plan.grid[d]) break;
      coords[d] = 0;
    }
  }
}

/** Tiles owning some pixel of the box [start, stop) (input coordinates), each once. */
export function tilesMeeting(plan: TilePlan, start: number[], stop: number[]): Tile[] {
  const ranges = plan.axes.map((a, i) => {
    const ks: number[] = [];
    for (let k = 0; k < plan.grid[i]; k++) {
      const [s, e] = along(a, k).own;
      if (s < stop[i] && e > start[i]) ks.push(k);
    }
    return ks;
  });
  const out: Tile[] = [];
  const pick = (d: number, coords: number[]) => {
    if (d === ranges.length) {
      let index = 0;
      for (let i = 0; i < coords.length; i++) index = index * plan.grid[i] + coords[i];
      out.push(tileAt(plan, coords, index));
      return;
    }
    for (const k of ranges[d]) pick(d + 1, [...coords, k]);
  };
  pick(0, []);
  return out;
}
