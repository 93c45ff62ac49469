import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockAt, blockCount, iterateBlocks, planBlocks } from './plan.js';

/** An array shape with a block shape and halo of the same rank (0–3 axes, small enough to enumerate pixels). */
const layout = fc.integer({ min: 0, max: 3 }).chain((n) =>
  fc.record({
    shape: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: n, maxLength: n }),
    blockShape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: n, maxLength: n }),
    halo: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
  }),
);

describe('planBlocks', () => {
  it('tiles a 2D image with clipped edge blocks and halos', () => {
    const blocks = planBlocks([5, 7], [2, 4], { halo: [1, 1] });
    expect(blocks.map((b) => b.coords)).toEqual([
      [0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1],
    ]);
    expect(blocks[5]).toEqual({ index: 5, coords: [2, 1], start: [4, 4], stop: [5, 7], haloStart: [3, 3], haloStop: [5, 7] });
    expect(blocks[0]).toMatchObject({ haloStart: [0, 0], haloStop: [3, 5] });
  });

  it('covers every pixel exactly once, in C order', () => {
    fc.assert(
      fc.property(layout, ({ shape, blockShape, halo }) => {
        const blocks = planBlocks(shape, blockShape, { halo });
        expect(blocks.length).toBe(blockCount(shape, blockShape));
        const size = shape.reduce((a, b) => a * b, 1);
        const hits = new Uint8Array(size);
        blocks.forEach((b, i) => {
          expect(b.index).toBe(i);
          if (i > 0) expect(compare(blocks[i - 1].coords, b.coords)).toBeLessThan(0);
          forEachPixel(b.start, b.stop, (p) => hits[flat(p, shape)]++);
          for (let d = 0; d < shape.length; d++) {
            expect(b.start[d]).toBe(b.coords[d] * blockShape[d]);
            expect(b.stop[d]).toBeGreaterThan(b.start[d]);
            expect(b.stop[d] - b.start[d]).toBeLessThanOrEqual(blockShape[d]);
            expect(b.haloStart[d]).toBe(Math.max(0, b.start[d] - halo[d]));
            expect(b.haloStop[d]).toBe(Math.min(shape[d], b.stop[d] + halo[d]));
          }
        });
        expect(hits.every((h) => h === 1)).toBe(true);
      }),
    );
  });

  it('agrees with iterateBlocks and blockAt', () => {
    fc.assert(
      fc.property(layout, ({ shape, blockShape, halo }) => {
        const blocks = planBlocks(shape, blockShape, { halo });
        expect([...iterateBlocks(shape, blockShape, { halo })]).toEqual(blocks);
        for (const b of blocks) expect(blockAt(shape, blockShape, b.coords, { halo })).toEqual(b);
      }),
    );
  });

  it('iterates huge grids lazily and refuses to list them', () => {
    const shape = [100_000, 100_000, 100_000];
    const first = iterateBlocks(shape, [64, 64, 64]).next().value;
    expect(first).toMatchObject({ index: 0, coords: [0, 0, 0], stop: [64, 64, 64] });
    expect(() => planBlocks(shape, [64, 64, 64])).toThrow(expect.objectContaining({ code: 'SHAPE_TOO_LARGE' }));
  });

  it('rejects mismatched or invalid shapes', () => {
    const invalid = expect.objectContaining({ code: 'INVALID_ARGUMENT' });
    expect(() => planBlocks([10, 10], [5])).toThrow(invalid);
    expect(() => planBlocks([10, 10], [0, 5])).toThrow(invalid);
    expect(() => planBlocks([10, -1], [5, 5])).toThrow(invalid);
    expect(() => planBlocks([10, 10], [5, 5], { halo: [1] })).toThrow(invalid);
    expect(() => blockAt([10, 10], [5, 5], [2, 0])).toThrow(invalid);
  });
});

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function flat(p: number[], shape: number[]): number {
  return p.reduce((acc, v, i) => acc * shape[i] + v, 0);
}

function forEachPixel(start: number[], stop: number[], visit: (p: number[]) => void, p: number[] = []): void {
  if (p.length === start.length) return visit(p);
  for (let v = start[p.length]; v < stop[p.length]; v++) forEachPixel(start, stop, visit, [...p, v]);
}
