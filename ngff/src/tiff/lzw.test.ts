/**
 * The LZW decoder against imagecodecs' encoder (the codec tifffile uses):
 * edge cases of the code table that whole-file tests may not reach.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { decodeLzw } from './lzw.js';
import { decodePackBits } from './packbits.js';

const skip = missing('python reference (.venv with imagecodecs)', hasPython);

describe.skipIf(skip)('decodeLzw matches imagecodecs.lzw_encode', () => {
  it('decodes every case back to the original bytes', async () => {
    const cases = await pythonJson<{ name: string; raw: string; lzw: string }[]>(`
import json, numpy as np, imagecodecs
rng = np.random.default_rng(1)
cases = {
    'empty': b'',
    'one byte': b'a',
    'KwKwK runs': b'a' * 5000,
    'alternating': b'ab' * 3000,
    'random, many Clear codes': rng.integers(0, 256, 20000, dtype=np.uint8).tobytes(),
    'all 256 byte values': bytes(range(256)) * 40,
    'long strings (copyWithin path)': (bytes(rng.integers(0, 256, 64, dtype=np.uint8)) * 400),
}
print(json.dumps([{'name': k, 'raw': v.hex(), 'lzw': imagecodecs.lzw_encode(v).hex()} for k, v in cases.items()]))
`);
    for (const c of cases) {
      const raw = Buffer.from(c.raw, 'hex');
      const out = new Uint8Array(raw.length);
      const n = decodeLzw(Buffer.from(c.lzw, 'hex'), out);
      expect(n, c.name).toBe(raw.length);
      expect(Buffer.from(out).equals(raw), c.name).toBe(true);
    }
  });
});

describe('decodeLzw limits', () => {
  it('stops at the end of the output buffer', () => {
    // Clear, 'a', 'a', 'aa' (258), EOI — MSB-first 9-bit codes.
    const codes = [256, 97, 97, 258, 257];
    let bits = '';
    for (const c of codes) bits += c.toString(2).padStart(9, '0');
    bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
    const src = Uint8Array.from(bits.match(/.{8}/g)!, (b) => parseInt(b, 2));
    const full = new Uint8Array(4);
    expect(decodeLzw(src, full)).toBe(4);
    expect(Array.from(full)).toEqual([97, 97, 97, 97]);
    expect(decodeLzw(src, new Uint8Array(3))).toBe(3);
  });

  it('names old-style LZW instead of decoding garbage', () => {
    expect(() => decodeLzw(Uint8Array.of(0, 1, 2, 3), new Uint8Array(8))).toThrow(/old-style/);
  });
});

describe('decodePackBits', () => {
  it('decodes literal and repeat runs, and skips the no-op header', () => {
    // The example from the TIFF 6.0 specification, section 9.
    const packed = Uint8Array.from([0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa]);
    const unpacked = [0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0xaa, 0xaa, 0xaa, 0xaa, 0x80, 0x00, 0x2a, 0x22, ...Array(10).fill(0xaa)];
    const out = new Uint8Array(unpacked.length);
    expect(decodePackBits(packed, out)).toBe(unpacked.length);
    expect(Array.from(out)).toEqual(unpacked);
    expect(decodePackBits(Uint8Array.of(0x80, 0x00, 0x07), new Uint8Array(1))).toBe(1);
  });
});
