/**
 * The shape of a multiscale pyramid: each level halves y and x (the last two
 * axes) until the image fits in one chunk and one 256-pixel overview tile, as
 * viewers expect, or for as many
 * levels as asked.
 */
import { downsampledShape } from './downsample.js';

export interface LevelPlan {
  shape: number[];
  /** Factor relative to level 0 along each axis (1 or a power of 2). */
  factor: number[];
}

/** Viewers fetch tiles of about this size; the smallest level should fit in one. */
const OVERVIEW_SIZE = 256;

/** Levels until y and x both fit in one chunk and in a 256-pixel overview tile (at most 12), or exactly `levels`. */
export function planPyramid(shape: number[], chunks: number[], levels?: number): LevelPlan[] {
  const n = shape.length;
  const plan: LevelPlan[] = [{ shape, factor: shape.map(() => 1) }];
  const fits = (s: number[]) => [n - 1, n - 2].every((i) => s[i] <= Math.min(chunks[i], OVERVIEW_SIZE));
  while (levels !== undefined ? plan.length < levels : !fits(plan[plan.length - 1].shape) && plan.length < 12) {
    const previous = plan[plan.length - 1];
    if (previous.shape[n - 1] === 1 && previous.shape[n - 2] === 1) break;
    plan.push({ shape: downsampledShape(previous.shape), factor: previous.factor.map((f, i) => (i >= n - 2 ? f * 2 : f)) });
  }
  return plan;
}

/** Shard shape for a smaller level: never larger than needed, always a multiple of the chunks. */
export function shardsForLevel(shards: number[], chunks: number[], shape: number[]): number[] {
  return shards.map((s, i) => Math.min(s, Math.max(chunks[i], Math.ceil(shape[i] / chunks[i]) * chunks[i])));
}
