/**
 * Compressing one chunk's bytes.
 *
 * - zstd, and blosc with cname zstd (byte shuffle or none): native libzstd
 *   where `native-zstd.ts` finds it, the blosc frame written by `blosc.ts`
 *   with the pixel size as typesize. Compression runs on the binding's own
 *   threads (a tokio runtime, one thread per core), off the JavaScript thread.
 * - Otherwise (other blosc codecs, bitshuffle, or no native zstd on this
 *   platform): numcodecs.js's WebAssembly builds of c-blosc and libzstd (the
 *   libraries zarr-python uses), loaded on first use.
 * - gzip: Node's zlib, on the libuv thread pool.
 *
 * Caveat of numcodecs.js 0.3: its blosc always declares a typesize of 4 bytes.
 * The chunks stay valid blosc (readers take the typesize from each chunk's
 * header), only the byte shuffle groups 4 bytes where zarr-python would group
 * by the pixel size; for 1-byte pixels, where a byte shuffle is a no-op in
 * zarr-python, we therefore do not shuffle at all.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { Codec } from 'numcodecs';
import { bloscZstdFrame } from './blosc.js';
import type { ResolvedCompressor } from './metadata.js';
import { nativeZstd } from './native-zstd.js';

const gzip = promisify(zlib.gzip);

const codecs = new Map<string, Promise<Codec>>();

function cached(key: string, make: () => Promise<Codec>): Promise<Codec> {
  let codec = codecs.get(key);
  if (!codec) {
    codec = make();
    codecs.set(key, codec);
    codec.catch(() => codecs.delete(key));
  }
  return codec;
}

const SHUFFLE = { noshuffle: 0, shuffle: 1, bitshuffle: 2 } as const;

function codecFor(c: Exclude<ResolvedCompressor, { id: 'none' } | { id: 'gzip' }>, itemsize: number): Promise<Codec> {
  if (c.id === 'zstd') {
    return cached(`zstd/${c.level}`, async () => {
      const { default: Zstd } = await import('numcodecs/zstd');
      return Zstd.fromConfig({ id: 'zstd', level: c.level });
    });
  }
  const shuffle = c.shuffle === 'shuffle' && itemsize === 1 ? 0 : SHUFFLE[c.shuffle];
  return cached(`blosc/${c.cname}/${c.clevel}/${shuffle}`, async () => {
    const { default: Blosc } = await import('numcodecs/blosc');
    return Blosc.fromConfig({ id: 'blosc', cname: c.cname, clevel: c.clevel, shuffle, blocksize: 0 });
  });
}

/** Compress `bytes`; with no compressor the same bytes come back. */
export async function compress(bytes: Uint8Array, compressor: ResolvedCompressor, itemsize: number): Promise<Uint8Array> {
  switch (compressor.id) {
    case 'none':
      return bytes;
    case 'gzip': {
      const out = await gzip(bytes, { level: compressor.level });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
    case 'zstd': {
      const zstd = await nativeZstd();
      if (zstd) return zstd.compress(bytes, compressor.level);
      break;
    }
    case 'blosc': {
      const zstd = nativeBloscCandidate(compressor) ? await nativeZstd() : undefined;
      if (zstd) return bloscZstdFrame(bytes, { clevel: compressor.clevel, shuffle: compressor.shuffle === 'shuffle', typesize: itemsize }, zstd);
      break;
    }
  }
  return (await codecFor(compressor, itemsize)).encode(bytes);
}

/** Blosc settings that `blosc.ts` writes itself (bitshuffle and the other codecs stay with c-blosc). */
function nativeBloscCandidate(c: Extract<ResolvedCompressor, { id: 'blosc' }>): boolean {
  return c.cname === 'zstd' && c.shuffle !== 'bitshuffle';
}

/**
 * Whether `compress` hands this compressor to native zstd here, which runs
 * off the JavaScript thread by itself (the writer then needs no worker).
 */
export async function compressesNatively(compressor: ResolvedCompressor): Promise<boolean> {
  const candidate = compressor.id === 'zstd' || (compressor.id === 'blosc' && nativeBloscCandidate(compressor));
  return candidate && (await nativeZstd()) !== undefined;
}
