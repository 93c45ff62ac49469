/**
 * Block plans: an array cut into blocks aligned to its chunk (or shard) grid,
 * each optionally widened by a halo for filters that look at neighbours. Block
 * `index` and order are C order over the grid, the same on every run, so a
 * plan can be split between workers or Galaxy jobs by index.
 */
import { FairioError } from '../errors.js';

export interface Block {
  /** Position in C order over the block grid. */
  index: number;
  /** Grid coordinates (the chunk or shard coordinates). */
  coords: number[];
  /** Region in array coordinates without halo: [start, stop). */
  start: number[];
  stop: number[];
  /** Region including the halo, clipped to the array. */
  haloStart: number[];
  haloStop: number[];
}

export interface PlanOptions {
  /** Extra pixels on each side, per axis; default none. */
  halo?: number[];
}

/** Above this many blocks `planBlocks` refuses and points to `iterateBlocks`. */
export const MAX_PLANNED_BLOCKS = 10_000_000;

function invalid(message: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', message);
}

function check(shape: number[], blockShape: number[], halo: number[] | undefined): number[] {
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw invalid(`array shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(blockShape) || blockShape.length !== shape.length || blockShape.some((s) => !Number.isSafeInteger(s) || s < 1)) {
    throw invalid(`block shape ${JSON.stringify(blockShape)} must have one positive integer per axis of ${JSON.stringify(shape)}`);
  }
  const h = halo ?? shape.map(() => 0);
  if (!Array.isArray(h) || h.length !== shape.length || h.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw invalid(`halo ${JSON.stringify(halo)} must have one non-negative integer per axis of ${JSON.stringify(shape)}`);
  }
  return h;
}

/** Number of blocks along each axis (edge blocks count). */
export function gridShape(shape: number[], blockShape: number[]): number[] {
  check(shape, blockShape, undefined);
  return shape.map((s, i) => Math.ceil(s / blockShape[i]));
}

/** Total number of blocks. */
export function blockCount(shape: number[], blockShape: number[]): number {
  return gridShape(shape, blockShape).reduce((a, b) => a * b, 1);
}

/** The block at grid `coords`. */
export function blockAt(shape: number[], blockShape: number[], coords: number[], options: PlanOptions = {}): Block {
  const halo = check(shape, blockShape, options.halo);
  const grid = shape.map((s, i) => Math.ceil(s / blockShape[i]));
  if (coords.length !== shape.length || coords.some((c, i) => !Number.isInteger(c) || c < 0 || c >= grid[i])) {
    throw invalid(`block coordinates ${JSON.stringify(coords)} lie outside the block grid ${JSON.stringify(grid)}`);
  }
  let index = 0;
  for (let i = 0; i < grid.length; i++) index = index * grid[i] + coords[i];
  return makeBlock(shape, blockShape, halo, [...coords], index);
}

function makeBlock(shape: number[], blockShape: number[], halo: number[], coords: number[], index: number): Block {
  const start = coords.map((c, i) => c * blockShape[i]);
  const stop = start.map((s, i) => Math.min(s + blockShape[i], shape[i]));
  return {
    index,
    coords,
    start,
    stop,
    haloStart: start.map((s, i) => Math.max(0, s - halo[i])),
    haloStop: stop.map((s, i) => Math.min(shape[i], s + halo[i])),
  };
}

/** Blocks one at a time, in C order: for grids too large to hold as a list. */
export function* iterateBlocks(shape: number[], blockShape: number[], options: PlanOptions = {}): Generator<Block, void, undefined> {
  const halo = check(shape, blockShape, options.halo);
  const grid = shape.map((s, i) => Math.ceil(s / blockShape[i]));
  if (grid.some((g) => g === 0)) return;
  const coords = grid.map(() => 0);
  for (let index = 0; ; index++) {
    yield makeBlock(shape, blockShape, halo, [...coords], index);
    let d = grid.length - 1;
    for (; d >= 0; d--) {
      if (++coords[d] < grid[d]) break;
      coords[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Split `shape` into blocks aligned to `blockShape`, each with an optional halo per axis. */
export function planBlocks(shape: number[], blockShape: number[], options: PlanOptions = {}): Block[] {
  const count = blockCount(shape, blockShape);
  if (count > MAX_PLANNED_BLOCKS) {
    throw new FairioError('SHAPE_TOO_LARGE', `${count} blocks are too many to list at once; use iterateBlocks to go through them one by one`);
  }
  return [...iterateBlocks(shape, blockShape, options)];
}
