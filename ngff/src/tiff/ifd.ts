/**
 * TIFF structure: the header, the chain of image file directories (IFDs) and
 * the tags of each page. Classic TIFF and BigTIFF, either byte order. Tag
 * values are decoded only for the tags the reader uses; strip and tile tables
 * are loaded on first use, so opening a file with many pages stays cheap.
 */
import { InvalidTiffError } from '../errors.js';
import type { FileSource } from './source.js';
import { FieldType, Tag, fieldTypeSize } from './tags.js';
import type { TiffDataType } from './types.js';

export interface TiffHeader {
  littleEndian: boolean;
  bigTiff: boolean;
  firstIfd: number;
}

/** One IFD entry; the value is inline (`inline`) or at `offset`. */
interface TagEntry {
  type: number;
  count: number;
  inline?: Uint8Array;
  offset: number;
}

export interface TiffPage {
  /** Position in the main IFD chain, from 0. */
  index: number;
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  /** Undefined when the sample type is not one we decode (see `dtypeProblem`). */
  dtype?: TiffDataType;
  dtypeProblem?: string;
  compression: number;
  predictor: number;
  planarConfig: 1 | 2;
  photometric: number;
  fillOrder: number;
  tiled: boolean;
  /** Rows and columns of one strip or tile. */
  chunkHeight: number;
  chunkWidth: number;
  description?: string;
  newSubfileType: number;
  xResolution?: number;
  yResolution?: number;
  resolutionUnit: number;
  subIfdCount: number;
  /** Raw entries, for tags read on demand. */
  entries: Map<number, TagEntry>;
}

export function dtypeBytes(dtype: TiffDataType): number {
  return dtype === 'uint8' || dtype === 'int8' ? 1 : dtype === 'uint16' || dtype === 'int16' ? 2 : dtype === 'float64' ? 8 : 4;
}

export async function readHeader(source: FileSource): Promise<TiffHeader> {
  if (source.size < 8) throw new InvalidTiffError(`not a TIFF file: only ${source.size} bytes long`, { path: source.path });
  const head = await source.meta(0, Math.min(16, source.size), 'the TIFF header');
  const order = String.fromCharCode(head[0], head[1]);
  if (order !== 'II' && order !== 'MM') throw notTiff(source.path, head);
  const littleEndian = order === 'II';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getUint16(2, littleEndian);
  if (version === 42) return { littleEndian, bigTiff: false, firstIfd: view.getUint32(4, littleEndian) };
  if (version === 43 && head.length >= 16 && view.getUint16(4, littleEndian) === 8) {
    return { littleEndian, bigTiff: true, firstIfd: toSafe(view.getBigUint64(8, littleEndian), source.path, 'the first IFD offset') };
  }
  throw notTiff(source.path, head);
}

function notTiff(path: string, head: Uint8Array): InvalidTiffError {
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return new InvalidTiffError(`not a TIFF file: it starts with bytes ${hex}, not 'II*' or 'MM*'`, { path });
}

function toSafe(value: bigint, path: string, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidTiffError(`${what} (${value}) is too large`, { path });
  return Number(value);
}

/** Walk the IFD chain and parse every page; loops and offsets beyond the file are errors. */
export async function readPages(source: FileSource, header: TiffHeader): Promise<TiffPage[]> {
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let offset = header.firstIfd;
  if (offset === 0) throw new InvalidTiffError('the file contains no images (first IFD offset is 0)', { path: source.path });
  while (offset !== 0) {
    const what = `IFD ${pages.length} (page ${pages.length})`;
    if (seen.has(offset)) throw new InvalidTiffError(`the IFD chain loops back to offset ${offset} after ${pages.length} pages`, { path: source.path });
    seen.add(offset);
    if (offset < 8 || offset >= source.size) {
      throw new InvalidTiffError(`${what} offset ${offset} lies outside the file (size ${source.size}); the file is truncated or corrupt`, { path: source.path });
    }
    const { entries, next } = await readIfd(source, header, offset, what);
    pages.push(await parsePage(source, header, entries, pages.length));
    offset = next;
  }
  return pages;
}

async function readIfd(source: FileSource, header: TiffHeader, offset: number, what: string): Promise<{ entries: Map<number, TagEntry>; next: number }> {
  const { littleEndian: le, bigTiff } = header;
  const countSize = bigTiff ? 8 : 2;
  const entrySize = bigTiff ? 20 : 12;
  const inlineSize = bigTiff ? 8 : 4;
  const countBytes = await source.meta(offset, countSize, what);
  const countView = new DataView(countBytes.buffer, countBytes.byteOffset, countSize);
  const n = bigTiff ? toSafe(countView.getBigUint64(0, le), source.path, `${what} entry count`) : countView.getUint16(0, le);
  const tableSize = n * entrySize + (bigTiff ? 8 : 4);
  const table = await source.meta(offset + countSize, tableSize, `${what} with ${n} entries`);
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const entries = new Map<number, TagEntry>();
  for (let i = 0; i < n; i++) {
    const p = i * entrySize;
    const tag = view.getUint16(p, le);
    const type = view.getUint16(p + 2, le);
    const count = bigTiff ? toSafe(view.getBigUint64(p + 4, le), source.path, `${what} tag ${tag} count`) : view.getUint32(p + 4, le);
    const valuePos = p + (bigTiff ? 12 : 8);
    const size = (fieldTypeSize[type] ?? 0) * count;
    if (size <= inlineSize) {
      entries.set(tag, { type, count, offset: 0, inline: table.slice(valuePos, valuePos + inlineSize) });
    } else {
      const at = bigTiff ? toSafe(view.getBigUint64(valuePos, le), source.path, `${what} tag ${tag} offset`) : view.getUint32(valuePos, le);
      entries.set(tag, { type, count, offset: at });
    }
  }
  const nextPos = n * entrySize;
  const next = bigTiff ? toSafe(view.getBigUint64(nextPos, le), source.path, `${what} next-IFD offset`) : view.getUint32(nextPos, le);
  return { entries, next };
}

/** Raw bytes of a tag's value. */
async function entryBytes(source: FileSource, entry: TagEntry, what: string, large = false): Promise<Uint8Array> {
  const size = (fieldTypeSize[entry.type] ?? 0) * entry.count;
  if (entry.inline) return entry.inline.subarray(0, size);
  return large ? source.read(entry.offset, size, what) : source.meta(entry.offset, size, what);
}

/** Numeric values of a tag (rationals as numerator/denominator quotients). */
export async function tagNumbers(source: FileSource, header: TiffHeader, page: { entries: Map<number, TagEntry> }, tag: number, what: string): Promise<Float64Array | undefined> {
  const entry = page.entries.get(tag);
  if (!entry) return undefined;
  const bytes = await entryBytes(source, entry, what, entry.count > 4096);
  return decodeNumbers(bytes, entry.type, entry.count, header.littleEndian, source.path, what);
}

export function decodeNumbers(bytes: Uint8Array, type: number, count: number, le: boolean, path: string, what: string): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  switch (type) {
    case FieldType.BYTE:
    case FieldType.UNDEFINED:
    case FieldType.ASCII:
      for (let i = 0; i < count; i++) out[i] = bytes[i];
      break;
    case FieldType.SBYTE:
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case FieldType.SHORT:
      for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, le);
      break;
    case FieldType.SSHORT:
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, le);
      break;
    case FieldType.LONG:
    case FieldType.IFD:
      for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, le);
      break;
    case FieldType.SLONG:
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, le);
      break;
    case FieldType.RATIONAL:
      for (let i = 0; i < count; i++) out[i] = view.getUint32(8 * i, le) / view.getUint32(8 * i + 4, le);
      break;
    case FieldType.SRATIONAL:
      for (let i = 0; i < count; i++) out[i] = view.getInt32(8 * i, le) / view.getInt32(8 * i + 4, le);
      break;
    case FieldType.FLOAT:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, le);
      break;
    case FieldType.DOUBLE:
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, le);
      break;
    case FieldType.LONG8:
    case FieldType.IFD8:
    case FieldType.SLONG8:
      for (let i = 0; i < count; i++) {
        const v = type === FieldType.SLONG8 ? view.getBigInt64(8 * i, le) : view.getBigUint64(8 * i, le);
        out[i] = Number(v);
        if (!Number.isSafeInteger(out[i])) throw new InvalidTiffError(`${what} holds a value too large to use (${v})`, { path });
      }
      break;
    default:
      throw new InvalidTiffError(`${what} has an unknown field type ${type}`, { path });
  }
  return out;
}

/** Text of an ASCII (or UTF-8) tag, without trailing NULs. */
export async function tagText(source: FileSource, page: { entries: Map<number, TagEntry> }, tag: number, what: string): Promise<string | undefined> {
  const entry = page.entries.get(tag);
  if (!entry || (entry.type !== FieldType.ASCII && entry.type !== FieldType.BYTE && entry.type !== FieldType.UNDEFINED)) return undefined;
  const bytes = await entryBytes(source, entry, what, entry.count > 4096);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return new TextDecoder('utf-8').decode(bytes.subarray(0, end));
}

/** Raw bytes of a tag, for binary payloads such as ImageJ's IJMetadata. */
export async function tagBytes(source: FileSource, page: { entries: Map<number, TagEntry> }, tag: number, what: string): Promise<Uint8Array | undefined> {
  const entry = page.entries.get(tag);
  return entry ? entryBytes(source, entry, what, true) : undefined;
}

async function parsePage(source: FileSource, header: TiffHeader, entries: Map<number, TagEntry>, index: number): Promise<TiffPage> {
  const where = `page ${index}`;
  const holder = { entries };
  const num = async (tag: number, fallback: number): Promise<number> => {
    const v = await tagNumbers(source, header, holder, tag, `${where} tag ${tag}`);
    return v && v.length > 0 ? v[0] : fallback;
  };
  const width = await num(Tag.ImageWidth, 0);
  const height = await num(Tag.ImageLength, 0);
  if (!entries.has(Tag.ImageWidth) || !entries.has(Tag.ImageLength)) {
    throw new InvalidTiffError(`${where} lacks the ImageWidth or ImageLength tag`, { path: source.path });
  }
  if (width < 1 || height < 1 || !Number.isSafeInteger(width) || !Number.isSafeInteger(height)) {
    throw new InvalidTiffError(`${where} has an invalid size ${width} × ${height} pixels`, { path: source.path });
  }
  const samplesPerPixel = await num(Tag.SamplesPerPixel, 1);
  if (samplesPerPixel < 1 || samplesPerPixel > 1024) {
    throw new InvalidTiffError(`${where} has an invalid SamplesPerPixel ${samplesPerPixel}`, { path: source.path });
  }
  const bits = (await tagNumbers(source, header, holder, Tag.BitsPerSample, `${where} BitsPerSample`)) ?? new Float64Array([1]);
  const formats = (await tagNumbers(source, header, holder, Tag.SampleFormat, `${where} SampleFormat`)) ?? new Float64Array([1]);
  const bitsPerSample = bits[0];
  const sampleFormat = formats[0];
  let dtypeProblem: string | undefined;
  if (bits.some((b) => b !== bitsPerSample) || formats.some((f) => f !== sampleFormat)) {
    dtypeProblem = `has samples of mixed types (BitsPerSample ${Array.from(bits).join(',')})`;
  }
  const dtype = dtypeProblem ? undefined : sampleType(bitsPerSample, sampleFormat);
  if (!dtype && !dtypeProblem) dtypeProblem = `has ${bitsPerSample}-bit samples of SampleFormat ${sampleFormat}, which fairio does not read`;

  const tiled = entries.has(Tag.TileWidth) || entries.has(Tag.TileOffsets);
  let chunkWidth = width;
  let chunkHeight = height;
  if (tiled) {
    chunkWidth = await num(Tag.TileWidth, 0);
    chunkHeight = await num(Tag.TileLength, 0);
    if (chunkWidth < 1 || chunkHeight < 1 || chunkWidth > 1 << 20 || chunkHeight > 1 << 20) {
      throw new InvalidTiffError(`${where} has an invalid tile size ${chunkWidth} × ${chunkHeight}`, { path: source.path });
    }
  } else {
    const rps = await num(Tag.RowsPerStrip, height);
    chunkHeight = rps >= 1 ? Math.min(rps, height) : height;
  }
  const planar = await num(Tag.PlanarConfiguration, 1);
  const xr = await num(Tag.XResolution, NaN);
  const yr = await num(Tag.YResolution, NaN);
  return {
    index,
    width,
    height,
    samplesPerPixel,
    bitsPerSample,
    dtype,
    dtypeProblem,
    compression: await num(Tag.Compression, 1),
    predictor: await num(Tag.Predictor, 1),
    planarConfig: planar === 2 && samplesPerPixel > 1 ? 2 : 1,
    photometric: await num(Tag.Photometric, 1),
    fillOrder: await num(Tag.FillOrder, 1),
    tiled,
    chunkWidth,
    chunkHeight,
    description: await tagText(source, holder, Tag.ImageDescription, `${where} ImageDescription`),
    newSubfileType: await num(Tag.NewSubfileType, 0),
    xResolution: Number.isFinite(xr) && xr > 0 ? xr : undefined,
    yResolution: Number.isFinite(yr) && yr > 0 ? yr : undefined,
    resolutionUnit: await num(Tag.ResolutionUnit, 2),
    subIfdCount: entries.get(Tag.SubIFDs)?.count ?? 0,
    entries,
  };
}

function sampleType(bits: number, format: number): TiffDataType | undefined {
  if (format === 1 || format === 4) return bits === 8 ? 'uint8' : bits === 16 ? 'uint16' : bits === 32 ? 'uint32' : undefined;
  if (format === 2) return bits === 8 ? 'int8' : bits === 16 ? 'int16' : bits === 32 ? 'int32' : undefined;
  if (format === 3) return bits === 32 ? 'float32' : bits === 64 ? 'float64' : undefined;
  return undefined;
}

/** Offsets and byte counts of a page's strips or tiles. */
export interface ChunkTable {
  offsets: Float64Array;
  byteCounts?: Float64Array;
}

export async function readChunkTable(source: FileSource, header: TiffHeader, page: TiffPage): Promise<ChunkTable> {
  const where = `page ${page.index}`;
  const offsets = await tagNumbers(source, header, page, page.tiled ? Tag.TileOffsets : Tag.StripOffsets, `${where} ${page.tiled ? 'TileOffsets' : 'StripOffsets'}`);
  const byteCounts = await tagNumbers(source, header, page, page.tiled ? Tag.TileByteCounts : Tag.StripByteCounts, `${where} byte counts`);
  if (!offsets) throw new InvalidTiffError(`${where} has no ${page.tiled ? 'TileOffsets' : 'StripOffsets'} tag, so its pixels cannot be found`, { path: source.path });
  return { offsets, byteCounts };
}
