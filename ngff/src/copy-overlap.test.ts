import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyOverlap } from './copy-overlap.js';

/** The same copy element by element: every position of the overlap, by its coordinates in both boxes. */
function naiveCopy(src: Float32Array, sStart: number[], sStop: number[], dst: Float32Array, dStart: number[], dStop: number[]): number {
  const n = sStart.length;
  const lo = sStart.map((s, d) => Math.max(s, dStart[d]));
  const hi = sStop.map((s, d) => Math.min(s, dStop[d]));
  if (lo.some((l, d) => l >= hi[d])) return 0;
  const offset = (pos: number[], start: number[], stop: number[]) => pos.reduce((o, p, d) => o * (stop[d] - start[d]) + (p - start[d]), 0);
  let count = 0;
  const visit = (pos: number[]): void => {
    if (pos.length === n) {
      dst[offset(pos, dStart, dStop)] = src[offset(pos, sStart, sStop)];
      count++;
      return;
    }
    for (let p = lo[pos.length]; p < hi[pos.length]; p++) visit([...pos, p]);
  };
  visit([]);
  return count;
}

const box = (n: number) => fc.tuple(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }));

describe('copyOverlap', () => {
  it('copies what an element-by-element copy copies, for boxes of 1 to 4 axes that overlap or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(box(n), box(n))),
        ([[sStart, sShape], [dStart, dShape]]) => {
          const sStop = sStart.map((s, d) => s + sShape[d]);
          const dStop = dStart.map((s, d) => s + dShape[d]);
          const src = Float32Array.from({ length: sShape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
          const expected = new Float32Array(dShape.reduce((a, b) => a * b, 1));
          const got = new Float32Array(expected.length);
          expect(copyOverlap(src, sStart, sStop, got, dStart, dStop)).toBe(naiveCopy(src, sStart, sStop, expected, dStart, dStop));
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});
