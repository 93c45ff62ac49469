/**
 * TIFF LZW decoding (TIFF 6.0 section 13: MSB-first codes of 9–12 bits,
 * Clear = 256, EndOfInformation = 257, "early change" of the code width).
 *
 * Speed comes from never materialising the string table: every table entry
 * is a string that already appears in the output (the previous code's output
 * plus one byte), so an entry is just (start, length) in the output buffer
 * and emitting a code is a copy within the output.
 */

const CLEAR = 256;
const EOI = 257;
const FIRST_FREE = 258;
const MAX_CODES = 4096;

/** Strings shorter than this are copied byte by byte; longer ones with copyWithin. */
const SHORT_COPY = 16;

/**
 * Decode `src` into `out`; returns the number of bytes written. Stops at
 * EndOfInformation, at the end of `src`, or when `out` is full (some writers
 * emit a few bytes too many). Throws on codes that cannot occur in valid data.
 */
export function decodeLzw(src: Uint8Array, out: Uint8Array): number {
  if (src.length >= 2 && src[0] === 0 && (src[1] & 1) === 1) {
    throw new Error('old-style (pre-TIFF 6.0, LSB-first) LZW data, which fairio does not decode');
  }
  const starts = new Int32Array(MAX_CODES);
  const lengths = new Int32Array(MAX_CODES);
  const srcLength = src.length;
  const outLength = out.length;
  let ip = 0;
  let bitBuffer = 0;
  let bitCount = 0;
  let width = 9;
  let mask = 511;
  let next = FIRST_FREE;
  let pos = 0;
  let prevStart = -1; // -1: no previous code since the last Clear
  let prevLength = 0;

  for (;;) {
    if (bitCount < width) {
      if (ip + 1 < srcLength) {
        bitBuffer = (bitBuffer << 16) | (src[ip] << 8) | src[ip + 1];
        ip += 2;
        bitCount += 16;
      } else {
        while (bitCount < width) {
          if (ip >= srcLength) return pos;
          bitBuffer = (bitBuffer << 8) | src[ip++];
          bitCount += 8;
        }
      }
    }
    bitCount -= width;
    const code = (bitBuffer >>> bitCount) & mask;

    if (code === CLEAR) {
      width = 9;
      mask = 511;
      next = FIRST_FREE;
      prevStart = -1;
      continue;
    }
    if (code === EOI) return pos;

    let length: number;
    if (code < 256) {
      if (pos >= outLength) return pos;
      out[pos] = code;
      length = 1;
    } else if (code < next && code >= FIRST_FREE) {
      length = lengths[code];
      const from = starts[code];
      if (pos + length > outLength) {
        out.copyWithin(pos, from, from + outLength - pos);
        return outLength;
      }
      if (length < SHORT_COPY) {
        for (let i = 0; i < length; i++) out[pos + i] = out[from + i];
      } else {
        out.copyWithin(pos, from, from + length);
      }
    } else if (code === next && prevStart >= 0) {
      // The code being defined right now: previous string + its own first byte.
      length = prevLength + 1;
      if (pos + length > outLength) {
        out.copyWithin(pos, prevStart, prevStart + Math.min(prevLength, outLength - pos));
        if (pos + prevLength < outLength) out[pos + prevLength] = out[prevStart];
        return outLength;
      }
      if (prevLength < SHORT_COPY) {
        for (let i = 0; i < prevLength; i++) out[pos + i] = out[prevStart + i];
      } else {
        out.copyWithin(pos, prevStart, prevStart + prevLength);
      }
      out[pos + prevLength] = out[prevStart];
    } else {
      throw new Error(`code ${code} at byte ${ip} before it was defined`);
    }

    if (prevStart >= 0 && next < MAX_CODES) {
      // New entry = previous string + first byte of this one, which is exactly
      // the output from the previous string's start, one byte longer.
      starts[next] = prevStart;
      lengths[next] = prevLength + 1;
      next++;
      if (next >= mask && width < 12) {
        width++;
        mask = (1 << width) - 1;
      }
    }
    prevStart = pos;
    prevLength = length;
    pos += length;
  }
}
