/**
 * The choice between native zstd and numcodecs.js: native where the binary
 * for this platform is installed, numcodecs.js when FAIRIO_NATIVE_ZSTD=0 (or
 * when loading fails), and the chunks the writer produces either way.
 */
import * as os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the modules, so that the environment is read again. */
async function fresh() {
  vi.resetModules();
  const native = await import('./native-zstd.js');
  const { compress } = await import('./compress.js');
  return { ...native, compress };
}

/** Smooth uint16 values with a few noisy low bits: compressible, more so at higher levels. */
const bytes = new Uint8Array(new Uint16Array(Array.from({ length: 1 << 16 }, (_, i) => 1000 + 300 * Math.sin(i / 50) + ((i * 2654435761) >>> 29))).buffer);

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** Where @mongodb-js/zstd's optional binary is a dependency in package-lock.json. */
const supported = os.platform() === 'linux' && os.arch() === 'x64';

describe('native zstd', () => {
  it.runIf(supported)('loads here and honours the level', async () => {
    vi.stubEnv('FAIRIO_NATIVE_ZSTD', '');
    const { nativeZstd, nativeZstdUnavailableReason } = await fresh();
    const zstd = await nativeZstd();
    expect(zstd, nativeZstdUnavailableReason()).toBeDefined();
    const fast = await zstd!.compress(bytes, 1);
    const strong = await zstd!.compress(bytes, 19);
    expect(strong.length).toBeLessThan(fast.length);
    expect(await zstd!.decompress(strong)).toEqual(bytes);
    expect(await nativeZstd()).toBe(zstd); // loaded once
  });

  it.runIf(supported)('writes blosc frames with the pixel size as typesize', async () => {
    vi.stubEnv('FAIRIO_NATIVE_ZSTD', '1');
    const { compress } = await fresh();
    const frame = await compress(bytes, { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' }, 2);
    expect(frame[3]).toBe(2);
  });

  it.each(['0', 'false', 'off'])('is turned off by FAIRIO_NATIVE_ZSTD=%s, and numcodecs.js compresses instead', async (value) => {
    vi.stubEnv('FAIRIO_NATIVE_ZSTD', value);
    const { nativeZstd, nativeZstdUnavailableReason, compress } = await fresh();
    expect(await nativeZstd()).toBeUndefined();
    expect(nativeZstdUnavailableReason()).toMatch(/FAIRIO_NATIVE_ZSTD/);
    // numcodecs.js 0.3 declares typesize 4 whatever the pixel size.
    const frame = await compress(bytes, { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' }, 2);
    expect(frame[3]).toBe(4);
    const { default: Zstd } = await import('numcodecs/zstd');
    const packed = await compress(bytes, { id: 'zstd', level: 3 }, 2);
    expect(new Uint8Array(await Zstd.fromConfig({ id: 'zstd', level: 3 }).decode(packed))).toEqual(bytes);
  });

  it('reads the environment once', async () => {
    vi.stubEnv('FAIRIO_NATIVE_ZSTD', '0');
    const { nativeZstd } = await fresh();
    expect(await nativeZstd()).toBeUndefined();
    vi.stubEnv('FAIRIO_NATIVE_ZSTD', '1');
    expect(await nativeZstd()).toBeUndefined();
  });
});
