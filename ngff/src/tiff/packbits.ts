/** PackBits run-length decoding (TIFF 6.0 section 9, Apple Macintosh PackBits). */

/** Decode `src` into `out`; returns the number of bytes written. */
export function decodePackBits(src: Uint8Array, out: Uint8Array): number {
  let ip = 0;
  let op = 0;
  const outLength = out.length;
  while (ip < src.length && op < outLength) {
    const header = (src[ip++] << 24) >> 24;
    if (header >= 0) {
      const n = Math.min(header + 1, src.length - ip, outLength - op);
      out.set(src.subarray(ip, ip + n), op);
      ip += header + 1;
      op += n;
    } else if (header !== -128) {
      if (ip >= src.length) break;
      const n = Math.min(1 - header, outLength - op);
      out.fill(src[ip++], op, op + n);
      op += n;
    }
  }
  return op;
}
