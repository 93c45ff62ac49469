/**
 * Native decoding of Blosc1 zstd frames written by c-blosc itself
 * (zarr-python's numcodecs): every supported frame decodes to the bytes
 * numcodecs encoded; frames it cannot read whole are left to the wasm codec;
 * damaged frames throw instead of returning garbage.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { decodeBloscZstd } from './blosc.js';
import { nativeZstd } from './native-zstd.js';

const skip = missing('Python reference tools (.venv)', hasPython);

interface Case {
  name: string;
  raw: string;
  frame: string;
}

const FRAMES = `
import base64, json, numpy as np
from numcodecs import Blosc
rng = np.random.default_rng(3)
cases = []
for dtype in ('u1', 'u2', 'f4', 'f8'):
    smooth = (np.sin(np.arange(300_000) / 900) * 1000 + rng.normal(0, 5, 300_000)).astype('<' + dtype if dtype != 'u1' else 'u1')
    for shuffle, sname in ((Blosc.SHUFFLE, 'shuffle'), (Blosc.NOSHUFFLE, 'noshuffle'), (Blosc.BITSHUFFLE, 'bitshuffle')):
        for blocksize in (0, 4096):
            codec = Blosc(cname='zstd', clevel=5, shuffle=shuffle, blocksize=blocksize)
            raw = smooth.tobytes()
            cases.append({'name': f'{dtype} {sname} blocksize={blocksize}', 'raw': base64.b64encode(raw).decode(), 'frame': base64.b64encode(codec.encode(raw)).decode()})
noise = rng.integers(0, 256, 5000, dtype=np.uint8).tobytes()
cases.append({'name': 'incompressible', 'raw': base64.b64encode(noise).decode(), 'frame': base64.b64encode(Blosc(cname='zstd', clevel=5).encode(noise)).decode()})
lz4 = Blosc(cname='lz4', clevel=5).encode(noise)
cases.append({'name': 'lz4', 'raw': base64.b64encode(noise).decode(), 'frame': base64.b64encode(lz4).decode()})
print(json.dumps(cases))
`;

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

describe.skipIf(skip)('decodeBloscZstd on frames from c-blosc', async () => {
  const zstd = await nativeZstd();
  const cases = skip || !zstd ? [] : await pythonJson<Case[]>(FRAMES);

  it('has native zstd here (the fallback is tested by FAIRIO_NATIVE_ZSTD=0 runs of the writer tests)', () => {
    expect(zstd).toBeDefined();
  });

  it.each(cases)('$name', async ({ name, raw, frame }) => {
    const decoded = await decodeBloscZstd(bytes(frame), zstd!);
    if (/bitshuffle|lz4/.test(name)) {
      // Not read natively (bitshuffle, lz4; stored frames aside): left to numcodecs' wasm blosc.
      if (decoded !== undefined) expect(Buffer.from(decoded).equals(Buffer.from(bytes(raw)))).toBe(true);
      return;
    }
    expect(decoded).toBeDefined();
    expect(Buffer.from(decoded!).equals(Buffer.from(bytes(raw)))).toBe(true);
  });

  it('throws on damaged frames instead of returning data', async () => {
    const frame = bytes(cases.find((c) => c.name === 'u2 shuffle blocksize=4096')!.frame);
    await expect(decodeBloscZstd(frame.subarray(0, frame.length - 10), zstd!)).rejects.toThrow(/header says/);
    const lying = frame.slice();
    new DataView(lying.buffer).setInt32(16, frame.length + 100, true); // first block starts past the end
    await expect(decodeBloscZstd(lying, zstd!)).rejects.toThrow(/block 0 starts outside/);
    const garbled = frame.slice();
    garbled.fill(7, 200, 260);
    await expect(decodeBloscZstd(garbled, zstd!)).rejects.toThrow();
  });
});
