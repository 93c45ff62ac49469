/**
 * `native-zstd.ts` for browsers (bundlers swap it in through the `browser`
 * field of package.json): no native libzstd there, readers keep numcodecs' wasm.
 */
import type { NativeZstd } from './native-zstd.js';

export type { NativeZstd };

export function nativeZstd(): Promise<NativeZstd | undefined> {
  return Promise.resolve(undefined);
}

export function nativeZstdUnavailableReason(): string | undefined {
  return 'not available in a browser';
}
