/**
 * Native libzstd for the writer, when this platform has it: the napi-rs
 * binding of `@mongodb-js/zstd` 1.2.2 (its prebuilt `.node` file comes as an
 * npm optional dependency per platform, nothing is downloaded). Its calls run
 * on the binding's own threads (a tokio runtime with one thread per core,
 * shared by all worker threads of the process), off the JavaScript thread.
 *
 * This module alone decides whether the native path is used. It is loaded on
 * first use; when the package or its binary for this platform is missing, or
 * `FAIRIO_NATIVE_ZSTD` is `0` / `false` / `off` (read once, on first use),
 * `nativeZstd()` resolves to `undefined` and callers keep numcodecs.js's
 * WebAssembly codecs.
 *
 * The binding is loaded directly (`bindings.js`) because the package's
 * wrapper in 1.2.2 drops the level argument and always compresses at zstd's
 * default level 3. It bundles libzstd 1.5.2; the newer libzstd inside
 * c-blosc 1.21 (zarr-python's numcodecs) makes level-9 output about 1–2 %
 * smaller on microscopy-like uint16 data.
 */
import { createRequire } from 'node:module';

export interface NativeZstd {
  /** One zstd frame (with the content size, no checksum) of `data` at `level` (1–22). */
  compress(data: Uint8Array, level: number): Promise<Uint8Array>;
  decompress(data: Uint8Array): Promise<Uint8Array>;
}

interface Binding {
  compress(data: Buffer, level?: number | null): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
}

let loading: Promise<NativeZstd | undefined> | undefined;
let reason: string | undefined;

/** Whether the environment turns the native path off. */
function disabledByEnv(): boolean {
  const value = process.env.FAIRIO_NATIVE_ZSTD?.trim().toLowerCase();
  return value === '0' || value === 'false' || value === 'off' || value === 'no';
}

/** A Buffer over the same memory (no copy). */
function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

async function load(): Promise<NativeZstd | undefined> {
  if (disabledByEnv()) {
    reason = 'turned off by FAIRIO_NATIVE_ZSTD';
    return undefined;
  }
  let binding: Binding;
  try {
    binding = createRequire(import.meta.url)('@mongodb-js/zstd/bindings.js') as Binding;
    if (typeof binding.compress !== 'function' || typeof binding.decompress !== 'function') throw new Error('unexpected exports');
    // A round trip, so a broken binary falls back here rather than failing a write.
    const probe = Buffer.from('fairio native zstd probe '.repeat(8));
    const back = await binding.decompress(await binding.compress(probe, 19));
    if (!probe.equals(back)) throw new Error('round trip changed the bytes');
  } catch (error) {
    reason = `@mongodb-js/zstd cannot be used here: ${(error as Error).message}`;
    return undefined;
  }
  return {
    async compress(data, level) {
      const out = await binding.compress(asBuffer(data), level);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
    async decompress(data) {
      const out = await binding.decompress(asBuffer(data));
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}

/** Native zstd, or `undefined` where it cannot be loaded or is turned off. */
export function nativeZstd(): Promise<NativeZstd | undefined> {
  loading ??= load();
  return loading;
}

/** Why `nativeZstd()` gave `undefined` (after it settled), for diagnostics. */
export function nativeZstdUnavailableReason(): string | undefined {
  return reason;
}
