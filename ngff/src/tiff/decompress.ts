/**
 * Codecs for strip and tile data, keyed by the TIFF Compression code. A new
 * codec is one function here plus one line in `codecs`.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { decodeLzw } from './lzw.js';
import { decodePackBits } from './packbits.js';
import { Compression, compressionNames } from './tags.js';

const inflate = promisify(zlib.inflate);

/** Decode `src` into a fresh buffer of (at most) `size` bytes; returns bytes decoded. */
type Codec = (src: Uint8Array, size: number) => Promise<Uint8Array>;

async function viaOutput(src: Uint8Array, size: number, decode: (src: Uint8Array, out: Uint8Array) => number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  const n = decode(src, out);
  return n === size ? out : out.subarray(0, n);
}

const codecs: Record<number, Codec> = {
  [Compression.LZW]: async (src, size) => viaOutput(src, size, decodeLzw),
  [Compression.PackBits]: async (src, size) => viaOutput(src, size, decodePackBits),
  [Compression.AdobeDeflate]: inflateChunk,
  [Compression.Deflate]: inflateChunk,
};

async function inflateChunk(src: Uint8Array, size: number): Promise<Uint8Array> {
  // The output limit guards against decompression bombs; a little slack allows
  // writers that pad the last strip.
  const out = await inflate(src, { maxOutputLength: Math.max(size * 2, size + 65536) });
  const data = new Uint8Array(out.buffer, out.byteOffset, Math.min(out.length, size));
  // Typed views need aligned data; small zlib results may sit in a shared pool.
  return out.byteOffset % 8 === 0 ? data : data.slice();
}

export function isSupportedCompression(code: number): boolean {
  return code === Compression.None || code in codecs;
}

export function compressionName(code: number): string {
  return compressionNames[code] ?? 'unknown';
}

/**
 * Decode one chunk. Throws a plain Error (the caller adds the file and chunk)
 * when the data is corrupt or decodes to fewer than `size` bytes.
 */
export async function decompress(code: number, src: Uint8Array, size: number): Promise<Uint8Array> {
  const codec = codecs[code];
  if (!codec) throw new Error(`compression ${code} (${compressionName(code)}) is not supported`);
  let out: Uint8Array;
  try {
    out = await codec(src, size);
  } catch (error) {
    throw new Error(`corrupt ${compressionName(code) === 'unknown' ? `compression ${code}` : compressionName(code)} data: ${(error as Error).message}`);
  }
  if (out.length < size) throw new Error(`decodes to ${out.length} bytes, expected ${size}; the data is truncated or corrupt`);
  return out;
}
