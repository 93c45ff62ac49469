/**
 * `writeTiff`: a compact streaming TIFF writer. Planes are taken one at a
 * time from an (async) iterable, written as strips or tiles (raw or Deflate),
 * each followed by its IFD, so memory stays at about one plane whatever the
 * file size. Classic TIFF, or BigTIFF when asked or when the file could pass
 * 4 GiB. Little-endian. The file appears under its name only when complete.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { FairioError } from '../errors.js';
import { dtypeBytes } from './ifd.js';
import { Compression, FieldType, ResolutionUnit, Tag } from './tags.js';
import type { TiffDataType, TypedArray, WriteTiffOptions } from './types.js';

const deflate = promisify(zlib.deflate);

const STRIP_TARGET_BYTES = 256 * 1024;
const CLASSIC_LIMIT = 2 ** 32 - 1;

const sampleFormats: Record<TiffDataType, number> = {
  uint8: 1, uint16: 1, uint32: 1, int8: 2, int16: 2, int32: 2, float32: 3, float64: 3,
};

const arrayTypes: Record<TiffDataType, abstract new (...args: never[]) => TypedArray> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array,
  uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

interface Entry {
  tag: number;
  type: number;
  /** Numbers, or the bytes of an ASCII value. */
  values: number[] | Uint8Array;
  /** Where already-written bytes of this value are (the description). */
  at?: number;
}

function invalid(message: string, file: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', message, { path: file });
}

interface Layout {
  bigTiff: boolean;
  samples: number;
  bytesPerSample: number;
  tiled: boolean;
  chunkRows: number;
  chunkCols: number;
  across: number;
  down: number;
  compression: number;
  level: number;
}

function layoutOf(file: string, o: WriteTiffOptions): Layout {
  const isCount = (v: unknown, max = 2 ** 32 - 1): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!isCount(o.width) || !isCount(o.height)) throw invalid(`invalid image size ${o.width} × ${o.height}`, file);
  if (!isCount(o.planeCount)) throw invalid(`invalid planeCount ${o.planeCount}`, file);
  if (!(o.dtype in sampleFormats)) throw invalid(`unsupported dtype '${o.dtype}'`, file);
  const samples = o.samplesPerPixel ?? 1;
  if (!isCount(samples, 64)) throw invalid(`invalid samplesPerPixel ${samples}`, file);
  const compression = o.compression ?? 'none';
  if (compression !== 'none' && compression !== 'deflate') throw invalid(`unsupported compression '${compression}' (use 'none' or 'deflate')`, file);
  const bytesPerSample = dtypeBytes(o.dtype);
  const pixelBytes = samples * bytesPerSample;
  if (o.resolution && !(o.resolution.x > 0 && o.resolution.y > 0 && Number.isFinite(o.resolution.x) && Number.isFinite(o.resolution.y))) {
    throw invalid(`resolution must be positive, not ${o.resolution.x} × ${o.resolution.y}`, file);
  }
  if (o.bigTiff === false && compression === 'none' && needsBigTiff(o)) throw invalid('the file could pass 4 GiB, which classic TIFF cannot address; allow BigTIFF', file);
  let tiled = false;
  let chunkRows: number;
  let chunkCols = o.width;
  if (o.tile) {
    const [rows, cols] = o.tile;
    if (!isCount(rows) || !isCount(cols) || rows % 16 !== 0 || cols % 16 !== 0) {
      throw invalid(`tile size ${rows} × ${cols} must be positive multiples of 16 (TIFF rule)`, file);
    }
    tiled = true;
    chunkRows = rows;
    chunkCols = cols;
  } else {
    chunkRows = o.rowsPerStrip ?? Math.max(1, Math.floor(STRIP_TARGET_BYTES / (o.width * pixelBytes)));
    if (!isCount(chunkRows)) throw invalid(`invalid rowsPerStrip ${o.rowsPerStrip}`, file);
    chunkRows = Math.min(chunkRows, o.height);
  }
  const across = Math.ceil(o.width / chunkCols);
  const down = Math.ceil(o.height / chunkRows);
  return {
    bigTiff: o.bigTiff ?? needsBigTiff(o, across * chunkCols, down * chunkRows, across * down),
    samples,
    bytesPerSample,
    tiled,
    chunkRows,
    chunkCols,
    across,
    down,
    compression: compression === 'deflate' ? Compression.AdobeDeflate : Compression.None,
    level: o.deflateLevel ?? 6,
  };
}

/**
 * Whether a file with these options could pass 4 GiB, so must be BigTIFF.
 * Decided up front because offsets are fixed-size; Deflate can grow
 * incompressible data slightly, hence the margin.
 */
export function needsBigTiff(o: WriteTiffOptions, paddedWidth = o.width, paddedHeight = o.height, chunks = o.height): boolean {
  const planeBytes = paddedWidth * paddedHeight * (o.samplesPerPixel ?? 1) * dtypeBytes(o.dtype);
  const estimate = 16 + Buffer.byteLength(o.description ?? '') + o.planeCount * (planeBytes * 1.01 + 1024 + 32 * chunks);
  return estimate > CLASSIC_LIMIT;
}

/**
 * Write `planes` (each a typed array of width × height × samplesPerPixel
 * values of `dtype`, row-major) as the pages of a TIFF file at `file`.
 * `options.description` goes into the first page's ImageDescription.
 */
export async function writeTiff(file: string, planes: AsyncIterable<TypedArray> | Iterable<TypedArray>, options: WriteTiffOptions): Promise<void> {
  const layout = layoutOf(file, options);
  const target = path.resolve(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(temp, 'w');
  } catch (error) {
    throw new FairioError('IO_ERROR', `cannot create the file: ${(error as Error).message}`, { path: file, cause: error });
  }
  try {
    await new TiffStreamWriter(handle, file, options, layout).write(planes);
    await handle.close();
    await fs.promises.rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    if (error instanceof FairioError) throw error;
    throw new FairioError('IO_ERROR', `writing failed: ${(error as Error).message}`, { path: file, cause: error });
  }
}

class TiffStreamWriter {
  private pos = 0;
  /** Where the pointer to the next IFD goes (header first, then each IFD's tail). */
  private nextPointerAt: number;
  private description?: { at: number; text: Uint8Array };

  constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly file: string,
    private readonly options: WriteTiffOptions,
    private readonly layout: Layout,
  ) {
    this.nextPointerAt = layout.bigTiff ? 8 : 4;
  }

  async write(planes: AsyncIterable<TypedArray> | Iterable<TypedArray>): Promise<void> {
    const { bigTiff } = this.layout;
    const header = Buffer.alloc(bigTiff ? 16 : 8);
    header.write('II', 0, 'latin1');
    header.writeUInt16LE(bigTiff ? 43 : 42, 2);
    if (bigTiff) header.writeUInt16LE(8, 4);
    await this.append(header);
    if (this.options.description !== undefined) {
      const text = Buffer.from(`${this.options.description}\0`, 'utf8');
      this.description = { at: this.pos, text };
      await this.append(text);
    }
    let count = 0;
    for await (const plane of planes) {
      if (count >= this.options.planeCount) throw invalid(`more planes were given than planeCount (${this.options.planeCount})`, this.file);
      await this.writePlane(plane, count++);
    }
    if (count !== this.options.planeCount) throw invalid(`only ${count} of ${this.options.planeCount} planes were given`, this.file);
    for (const { index, offsets, counts } of this.deferred) await this.writeIfd(index, offsets, counts);
  }

  /**
   * ImageJ (and tifffile) read the planes of an uncompressed ImageJ
   * hyperstack as one contiguous block from the first plane's offset, so
   * there the IFDs go after all the pixel data instead of after each plane.
   */
  private get contiguous(): boolean {
    return this.layout.compression === Compression.None && (this.options.description?.startsWith('ImageJ=') ?? false);
  }

  private readonly deferred: { index: number; offsets: number[]; counts: number[] }[] = [];

  private async append(data: Uint8Array): Promise<number> {
    const at = this.pos;
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, at + done);
      done += bytesWritten;
    }
    this.pos += data.length;
    return at;
  }

  private async writePlane(plane: TypedArray, index: number): Promise<void> {
    const { width, height, dtype } = this.options;
    const { samples } = this.layout;
    const expected = width * height * samples;
    const type = arrayTypes[dtype];
    if (!(plane instanceof type) || plane.length !== expected) {
      const got = ArrayBuffer.isView(plane) ? `${plane.constructor.name} of length ${(plane as TypedArray).length}` : typeof plane;
      throw invalid(`plane ${index} must be a ${type.name} of ${expected} values, got ${got}`, this.file);
    }
    const bytes = new Uint8Array(plane.buffer, plane.byteOffset, plane.byteLength);
    const raw = this.chunks(bytes);
    const encoded = this.layout.compression === Compression.None
      ? raw
      : await Promise.all(raw.map((c) => deflate(c, { level: this.layout.level })));
    const offsets: number[] = [];
    const counts: number[] = [];
    for (const chunk of encoded) {
      offsets.push(this.pos);
      counts.push(chunk.length);
      await this.append(chunk);
    }
    if (this.contiguous) this.deferred.push({ index, offsets, counts });
    else await this.writeIfd(index, offsets, counts);
  }

  /** The plane's strips (views, no copy) or tiles (copied, zero-padded at the edges). */
  private chunks(bytes: Uint8Array): Uint8Array[] {
    const { width, height } = this.options;
    const { samples, bytesPerSample, tiled, chunkRows, chunkCols, across, down } = this.layout;
    const rowBytes = width * samples * bytesPerSample;
    const out: Uint8Array[] = [];
    if (!tiled) {
      for (let s = 0; s < down; s++) out.push(bytes.subarray(s * chunkRows * rowBytes, Math.min(height, (s + 1) * chunkRows) * rowBytes));
      return out;
    }
    const pixelBytes = samples * bytesPerSample;
    const tileRowBytes = chunkCols * pixelBytes;
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++) {
        const tile = new Uint8Array(chunkRows * tileRowBytes);
        const rows = Math.min(chunkRows, height - ty * chunkRows);
        const segment = Math.min(chunkCols, width - tx * chunkCols) * pixelBytes;
        for (let r = 0; r < rows; r++) {
          const from = (ty * chunkRows + r) * rowBytes + tx * tileRowBytes;
          tile.set(bytes.subarray(from, from + segment), r * tileRowBytes);
        }
        out.push(tile);
      }
    }
    return out;
  }

  private async writeIfd(index: number, offsets: number[], counts: number[]): Promise<void> {
    const { width, height, dtype } = this.options;
    const { bigTiff, samples, tiled, chunkRows, chunkCols, compression } = this.layout;
    const offsetType = bigTiff ? FieldType.LONG8 : FieldType.LONG;
    const rgb = samples >= 3;
    const extra = samples - (rgb ? 3 : 1);
    const entries: Entry[] = [
      { tag: Tag.NewSubfileType, type: FieldType.LONG, values: [0] },
      { tag: Tag.ImageWidth, type: FieldType.LONG, values: [width] },
      { tag: Tag.ImageLength, type: FieldType.LONG, values: [height] },
      { tag: Tag.BitsPerSample, type: FieldType.SHORT, values: Array(samples).fill(8 * this.layout.bytesPerSample) },
      { tag: Tag.Compression, type: FieldType.SHORT, values: [compression] },
      { tag: Tag.Photometric, type: FieldType.SHORT, values: [rgb ? 2 : 1] },
      { tag: Tag.SamplesPerPixel, type: FieldType.SHORT, values: [samples] },
      { tag: Tag.PlanarConfiguration, type: FieldType.SHORT, values: [1] },
      { tag: Tag.Software, type: FieldType.ASCII, values: Buffer.from('fairio\0', 'latin1') },
      { tag: Tag.SampleFormat, type: FieldType.SHORT, values: Array(samples).fill(sampleFormats[dtype]) },
    ];
    if (extra > 0) entries.push({ tag: Tag.ExtraSamples, type: FieldType.SHORT, values: Array(extra).fill(0) });
    const { resolution } = this.options;
    if (resolution) {
      entries.push(
        { tag: Tag.XResolution, type: FieldType.RATIONAL, values: rational(resolution.x) },
        { tag: Tag.YResolution, type: FieldType.RATIONAL, values: rational(resolution.y) },
        { tag: Tag.ResolutionUnit, type: FieldType.SHORT, values: [{ none: ResolutionUnit.None, inch: ResolutionUnit.Inch, centimeter: ResolutionUnit.Centimeter }[resolution.unit ?? 'none']] },
      );
    }
    if (index === 0 && this.description) {
      entries.push({ tag: Tag.ImageDescription, type: FieldType.ASCII, values: this.description.text, at: this.description.at });
    }
    if (tiled) {
      entries.push(
        { tag: Tag.TileWidth, type: FieldType.LONG, values: [chunkCols] },
        { tag: Tag.TileLength, type: FieldType.LONG, values: [chunkRows] },
        { tag: Tag.TileOffsets, type: offsetType, values: offsets },
        { tag: Tag.TileByteCounts, type: offsetType, values: counts },
      );
    } else {
      entries.push(
        { tag: Tag.StripOffsets, type: offsetType, values: offsets },
        { tag: Tag.RowsPerStrip, type: FieldType.LONG, values: [chunkRows] },
        { tag: Tag.StripByteCounts, type: offsetType, values: counts },
      );
    }
    entries.sort((a, b) => a.tag - b.tag);

    if (this.pos % 2 === 1) await this.append(new Uint8Array(1)); // IFDs start on a word boundary
    const ifdAt = this.pos;
    const { table, nextAt } = this.encodeIfd(entries, ifdAt);
    if (!bigTiff && ifdAt + table.length > CLASSIC_LIMIT) {
      throw new FairioError('INVALID_ARGUMENT', 'the file grew beyond 4 GiB; write it with bigTiff: true', { path: this.file });
    }
    await this.append(table);
    const pointer = Buffer.alloc(bigTiff ? 8 : 4);
    if (bigTiff) pointer.writeBigUInt64LE(BigInt(ifdAt));
    else pointer.writeUInt32LE(ifdAt);
    await this.handle.write(pointer, 0, pointer.length, this.nextPointerAt);
    this.nextPointerAt = nextAt;
  }

  /** IFD bytes at `at`: count, entries, next pointer (0), then values that do not fit inline. */
  private encodeIfd(entries: Entry[], at: number): { table: Uint8Array; nextAt: number } {
    const { bigTiff } = this.layout;
    const entrySize = bigTiff ? 20 : 12;
    const inline = bigTiff ? 8 : 4;
    const head = (bigTiff ? 8 : 2) + entries.length * entrySize + (bigTiff ? 8 : 4);
    const size = (e: Entry): number => (e.type === FieldType.ASCII ? e.values.length : e.values.length * typeBytes(e.type));
    // A RATIONAL's values are numerator, denominator pairs: one count per pair.
    const countOf = (e: Entry): number => (e.type === FieldType.RATIONAL ? e.values.length / 2 : e.values.length);
    let extra = 0;
    for (const e of entries) if (e.at === undefined && size(e) > inline) extra += size(e) + (size(e) % 2);
    const buf = Buffer.alloc(head + extra);
    let p = 0;
    if (bigTiff) buf.writeBigUInt64LE(BigInt(entries.length), 0);
    else buf.writeUInt16LE(entries.length, 0);
    p = bigTiff ? 8 : 2;
    let valuePos = head;
    for (const e of entries) {
      buf.writeUInt16LE(e.tag, p);
      buf.writeUInt16LE(e.type, p + 2);
      const count = countOf(e);
      if (bigTiff) buf.writeBigUInt64LE(BigInt(count), p + 4);
      else buf.writeUInt32LE(count, p + 4);
      const field = p + (bigTiff ? 12 : 8);
      const n = size(e);
      if (e.at !== undefined && n > inline) {
        writeOffset(buf, field, e.at, bigTiff);
      } else if (n <= inline) {
        writeValues(buf, field, e);
      } else {
        writeOffset(buf, field, at + valuePos, bigTiff);
        writeValues(buf, valuePos, e);
        valuePos += n + (n % 2);
      }
      p += entrySize;
    }
    return { table: buf, nextAt: at + p };
  }
}

/** Bytes per stored value (a RATIONAL is stored as two LONG values). */
function typeBytes(type: number): number {
  return type === FieldType.SHORT ? 2 : type === FieldType.LONG8 ? 8 : type === FieldType.LONG || type === FieldType.RATIONAL ? 4 : 1;
}

/** The closest fraction with 32-bit numerator and denominator (continued fractions), so 1/0.65 is stored as 20/13 exactly. */
export function rational(value: number): [number, number] {
  const max = 2 ** 32 - 1;
  if (value >= max) return [max, 1];
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let x = value;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(x);
    const h2 = a * h1 + h0;
    const k2 = a * k1 + k0;
    if (h2 > max || k2 > max) break;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    if (x === a || Math.abs(h1 / k1 - value) <= Number.EPSILON * value) break;
    x = 1 / (x - a);
  }
  return k1 === 0 ? [Math.round(value), 1] : [h1, k1];
}

function writeOffset(buf: Buffer, at: number, value: number, bigTiff: boolean): void {
  if (bigTiff) buf.writeBigUInt64LE(BigInt(value), at);
  else buf.writeUInt32LE(value, at);
}

function writeValues(buf: Buffer, at: number, e: Entry): void {
  if (e.values instanceof Uint8Array) {
    buf.set(e.values, at);
    return;
  }
  const step = typeBytes(e.type);
  e.values.forEach((v, i) => {
    if (e.type === FieldType.SHORT) buf.writeUInt16LE(v, at + i * step);
    else if (e.type === FieldType.LONG || e.type === FieldType.RATIONAL) buf.writeUInt32LE(v, at + i * step);
    else buf.writeBigUInt64LE(BigInt(v), at + i * step);
  });
}
