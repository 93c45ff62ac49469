import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256.js';

describe('sha256Hex (the browser-safe SHA-256)', () => {
  it('agrees with node:crypto at every padding boundary and on large input', () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
      const bytes = randomBytes(length);
      expect(sha256Hex(bytes), `${length} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('hashes text as UTF-8, and views into larger buffers by their own bytes', () => {
    expect(sha256Hex('größe ✓')).toBe(createHash('sha256').update('größe ✓', 'utf8').digest('hex'));
    const buffer = randomBytes(300);
    expect(sha256Hex(buffer.subarray(7, 207))).toBe(createHash('sha256').update(buffer.subarray(7, 207)).digest('hex'));
  });
});
