/**
 * bioimageio.core's pass rule for reproducing test outputs: an element is
 * mismatched when |actual − expected| > atol + rtol·|expected|; an output
 * passes when at most `mismatchedPerMillion` elements per million are.
 * No Node imports.
 */
import type { NdArray } from './processing/tensor.js';
import type { Tolerance } from './spec/model.js';

export interface Comparison {
  /** Elements compared. */
  count: number;
  mismatched: number;
  mismatchedPerMillion: number;
  maxAbsDiff: number;
  /** Shapes differ: nothing was compared. */
  shapeMismatch?: string;
  passed: boolean;
}

export function compareTensors(actual: NdArray, expected: NdArray, tolerance: Pick<Tolerance, 'relative' | 'absolute' | 'mismatchedPerMillion'>): Comparison {
  if (actual.shape.length !== expected.shape.length || actual.shape.some((s, i) => s !== expected.shape[i])) {
    return { count: 0, mismatched: 0, mismatchedPerMillion: Infinity, maxAbsDiff: Infinity, shapeMismatch: `shape [${actual.shape.join(', ')}] instead of [${expected.shape.join(', ')}]`, passed: false };
  }
  const n = expected.data.length;
  let mismatched = 0;
  let maxAbsDiff = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.fround(Number(expected.data[i]));
    const a = Math.fround(Number(actual.data[i]));
    const diff = Math.abs(a - e);
    if (diff > maxAbsDiff || diff !== diff) maxAbsDiff = diff !== diff ? Infinity : diff;
    if (!(diff <= tolerance.absolute + tolerance.relative * Math.abs(e))) mismatched++;
  }
  const mismatchedPerMillion = n ? (mismatched / n) * 1e6 : 0;
  return { count: n, mismatched, mismatchedPerMillion, maxAbsDiff, passed: mismatchedPerMillion <= tolerance.mismatchedPerMillion };
}
