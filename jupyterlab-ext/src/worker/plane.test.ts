import { describe, expect, it } from 'vitest';
import { extractPlane } from './plane.js';

describe('extractPlane', () => {
  // A c, z, y, x chunk of 2 × 2 × 3 × 4 holding its flat index.
  const chunk = { data: Uint16Array.from({ length: 48 }, (_, i) => i), shape: [2, 2, 3, 4], stride: [24, 12, 4, 1] };

  it('cuts the y × x plane at the other indices', () => {
    expect(Array.from(extractPlane(chunk, [1, 0, 0, 0], 2, 3, 3, 4))).toEqual(Array.from({ length: 12 }, (_, i) => 24 + i));
  });

  it('clips edge chunks to the array', () => {
    expect(Array.from(extractPlane(chunk, [0, 1, 0, 0], 2, 3, 2, 3))).toEqual([12, 13, 14, 16, 17, 18]);
  });

  it('follows strides (F order) and turns 64-bit integers into float64', () => {
    const f = { data: BigInt64Array.from([0n, 1n, 2n, 3n]), shape: [2, 2], stride: [1, 2] };
    const plane = extractPlane(f, [0, 0], 0, 1, 2, 2);
    expect(plane).toBeInstanceOf(Float64Array);
    expect(Array.from(plane)).toEqual([0, 2, 1, 3]);
  });
});
