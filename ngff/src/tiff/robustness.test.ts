/**
 * Bad input never crashes or hangs the reader: each corrupt file gives an
 * InvalidTiffError whose message names the file and the problem. Corrupt
 * files are made by writing a valid TIFF with writeTiff and patching bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FairioError, InvalidTiffError } from '../errors.js';
import { hasSharedData, missing, shared } from '../../../tests/helpers/reference.js';
import { openTiff, writeTiff } from './index.js';
import type { TiffFile, WriteTiffOptions } from './index.js';
import { Tag } from './tags.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-tiff-bad-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
/** A valid little-endian classic TIFF, freshly written. */
async function validTiff(options: Partial<WriteTiffOptions> = {}, fill = 7): Promise<string> {
  const o: WriteTiffOptions = { width: 16, height: 8, dtype: 'uint16', planeCount: 2, ...options };
  const file = path.join(tmp, `t${counter++}.tif`);
  const planes = Array.from({ length: o.planeCount }, () => new Uint16Array(o.width * o.height).fill(fill));
  await writeTiff(file, planes, o);
  return file;
}

/** IFD offsets of a classic little-endian TIFF, in chain order. */
function ifdOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (let at = buf.readUInt32LE(4); at !== 0 && out.length < 100; at = buf.readUInt32LE(at + 2 + 12 * buf.readUInt16LE(at))) out.push(at);
  return out;
}

/** Overwrite the (inline) value of `tag` in page `page`. */
function patchTag(file: string, tag: number, value: number, page = 0): void {
  const buf = fs.readFileSync(file);
  const ifd = ifdOffsets(buf)[page];
  for (let i = 0; i < buf.readUInt16LE(ifd); i++) {
    const entry = ifd + 2 + 12 * i;
    if (buf.readUInt16LE(entry) !== tag) continue;
    if (buf.readUInt16LE(entry + 2) === 3) buf.writeUInt16LE(value, entry + 8);
    else buf.writeUInt32LE(value, entry + 8);
    fs.writeFileSync(file, buf);
    return;
  }
  throw new Error(`tag ${tag} not found`);
}

function patchBytes(file: string, at: number, write: (buf: Buffer) => void): void {
  const buf = fs.readFileSync(file);
  write(buf.subarray(at));
  fs.writeFileSync(file, buf);
}

/** Open and read every plane; the first failure is what the test sees. */
async function openAndReadAll(file: string): Promise<void> {
  let tiff: TiffFile | undefined;
  try {
    tiff = await openTiff(file);
    for (const s of tiff.series) {
      for (let p = 0; p < s.planeCount; p++) await s.readWindow(p, 0, s.shape.at(-2)!, 0, s.shape.at(-1)!);
    }
  } finally {
    await tiff?.close();
  }
}

async function expectInvalid(file: string, problem: RegExp): Promise<void> {
  const error = await openAndReadAll(file).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidTiffError);
  const e = error as InvalidTiffError;
  expect(e.code).toBe('INVALID_TIFF');
  expect(e.message).toContain(file);
  expect(e.message).toMatch(problem);
}

describe('corrupt and unsupported TIFFs give InvalidTiffError naming the file and the problem', () => {
  it('not a TIFF (PNG signature)', async () => {
    const file = path.join(tmp, 'image.png.tif');
    fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    await expectInvalid(file, /not a TIFF file: it starts with bytes 89 50 4e 47/);
  });

  it('empty file', async () => {
    const file = path.join(tmp, 'empty.tif');
    fs.writeFileSync(file, '');
    await expectInvalid(file, /not a TIFF file: only 0 bytes/);
  });

  it('first IFD offset beyond the end of the file', async () => {
    const file = await validTiff();
    patchBytes(file, 4, (b) => b.writeUInt32LE(fs.statSync(file).size + 1000));
    await expectInvalid(file, /IFD 0 .*outside the file/);
  });

  it('next-IFD offset beyond the end of the file', async () => {
    const file = await validTiff();
    const buf = fs.readFileSync(file);
    const [first] = ifdOffsets(buf);
    patchBytes(file, first + 2 + 12 * buf.readUInt16LE(first), (b) => b.writeUInt32LE(0x7fff_fff0));
    await expectInvalid(file, /IFD 1 .*outside the file/);
  });

  it('IFD chain that loops', async () => {
    const file = await validTiff({ planeCount: 3 });
    const buf = fs.readFileSync(file);
    const [first, , third] = ifdOffsets(buf);
    patchBytes(file, third + 2 + 12 * buf.readUInt16LE(third), (b) => b.writeUInt32LE(first));
    await expectInvalid(file, /IFD chain loops back to offset \d+ after 3 pages/);
  });

  it('IFD with an absurd entry count', async () => {
    const file = await validTiff();
    const [first] = ifdOffsets(fs.readFileSync(file));
    patchBytes(file, first, (b) => b.writeUInt16LE(60000));
    await expectInvalid(file, /IFD 0 .* 60000 entries.*beyond the end of the file/);
  });

  it('strip data beyond the end of the file', async () => {
    const file = await validTiff({ planeCount: 1 });
    patchTag(file, Tag.StripOffsets, fs.statSync(file).size - 10);
    await expectInvalid(file, /strip 0 of page 0 lies beyond the end of the file/);
  });

  it('a real LZW sample cut short', async () => {
    if (missing('shared sample TIFFs', hasSharedData)) return;
    const file = path.join(tmp, 'cut.tiff');
    const original = fs.readFileSync(shared('samples', 'tiff', 'BBBC033_C2_z28-lzw.tiff'));
    fs.writeFileSync(file, original.subarray(0, original.length >> 1));
    await expectInvalid(file, /strip \d of page 0 lies beyond the end of the file .*truncated/);
  });

  it('uncompressed strip shorter than its rows', async () => {
    const file = await validTiff({ planeCount: 1 });
    patchTag(file, Tag.StripByteCounts, 100);
    await expectInvalid(file, /strip 0 of page 0 holds 100 bytes but needs 256/);
  });

  it('truncated Deflate stream', async () => {
    const file = await validTiff({ planeCount: 1, compression: 'deflate' });
    patchTag(file, Tag.StripByteCounts, 5);
    await expectInvalid(file, /strip 0 of page 0: corrupt Deflate data/);
  });

  it('data that is not valid LZW', async () => {
    const file = await validTiff({ planeCount: 1 }, 0xffff);
    patchTag(file, Tag.Compression, 5);
    await expectInvalid(file, /strip 0 of page 0: corrupt LZW data: code 511/);
  });

  it('zero width', async () => {
    const file = await validTiff();
    patchTag(file, Tag.ImageWidth, 0);
    await expectInvalid(file, /page 0 has an invalid size 0 × 8 pixels/);
  });

  it('absurd dimensions are refused before allocating', async () => {
    const file = await validTiff({ planeCount: 3 });
    for (const page of [0, 1, 2]) {
      patchTag(file, Tag.ImageWidth, 0x7fff_ffff, page);
      patchTag(file, Tag.ImageLength, 0x7fff_ffff, page);
    }
    await expectInvalid(file, /shape \[3, 2147483647, 2147483647\].*too large to be real/);
  });

  it('an ImageJ header that declares more images than the file can hold', async () => {
    const file = await validTiff({ planeCount: 1, description: 'ImageJ=1.54f\nimages=1000000000000\nslices=1000000000000\n' });
    await expectInvalid(file, /ImageJ header declares 1000000000000 images/);
  });

  it('OME-XML that declares absurd sizes', async () => {
    const xml = '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="16" SizeY="8" SizeZ="100000" SizeC="100000" SizeT="100000"><TiffData/></Pixels></Image></OME>';
    const file = await validTiff({ planeCount: 1, description: xml });
    await expectInvalid(file, /OME-XML declares 1000000000000000 planes/);
  });

  it('JPEG compression is named and refused', async () => {
    const file = await validTiff();
    patchTag(file, Tag.Compression, 7);
    await expectInvalid(file, /page 0 uses compression 7 \(JPEG\), which fairio does not decode/);
  });

  it('an unknown compression code is named and refused', async () => {
    const file = await validTiff();
    patchTag(file, Tag.Compression, 12345);
    await expectInvalid(file, /compression 12345 \(unknown\)/);
  });

  it('unsupported sample types are named', async () => {
    const file = await validTiff();
    for (const page of [0, 1]) patchTag(file, Tag.BitsPerSample, 12, page);
    await expectInvalid(file, /page 0 has 12-bit samples of SampleFormat 1/);
  });
});

describe('random corruption', () => {
  it('mutated files either read or fail with a FairioError, never anything else', async () => {
    let seed = 20240611;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const originals = [
      fs.readFileSync(await validTiff({ planeCount: 3, tile: [16, 16], width: 40, height: 20, compression: 'deflate' })),
      fs.readFileSync(await validTiff({ planeCount: 2, bigTiff: true, description: 'ImageJ=1.54f\nimages=2\nslices=2\n' })),
    ];
    const file = path.join(tmp, 'mutated.tif');
    const outcomes = { read: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      const buf = Buffer.from(originals[i % originals.length]);
      for (let k = 1 + rand(6); k > 0; k--) buf[rand(buf.length)] = rand(256);
      fs.writeFileSync(file, buf);
      const error = await openAndReadAll(file).then(() => undefined, (e: unknown) => e);
      if (error === undefined) outcomes.read++;
      else {
        expect(error).toBeInstanceOf(FairioError);
        outcomes.refused++;
      }
    }
    expect(outcomes.read + outcomes.refused).toBe(300);
  });
});

describe('other failures are typed too', () => {
  it('a missing file is NOT_FOUND', async () => {
    await expect(openTiff(path.join(tmp, 'nope.tif'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a folder is not a TIFF', async () => {
    await expect(openTiff(tmp)).rejects.toBeInstanceOf(InvalidTiffError);
  });

  it('windows outside the image are INVALID_ARGUMENT', async () => {
    const tiff = await openTiff(await validTiff());
    const [s] = tiff.series;
    await expect(s.readWindow(2, 0, 1, 0, 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.readWindow(0, 0, 9, 0, 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.readWindow(0, 3, 3, 0, 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(s.readWindow(0.5, 0, 1, 0, 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(Array.from(await s.readWindow(1, 7, 8, 15, 16))).toEqual([7]);
    await tiff.close();
    await expect(s.readWindow(0, 0, 1, 0, 1)).rejects.toThrow(/closed/);
  });
});
