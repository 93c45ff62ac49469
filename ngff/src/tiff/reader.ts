/**
 * `openTiff`: open a TIFF or OME-TIFF, list its series, and read windows of
 * their planes on demand through one file handle.
 */
import * as fs from 'node:fs';
import { FairioError, InvalidTiffError, NotFoundError } from '../errors.js';
import { ChunkCache } from './chunk-cache.js';
import { type TiffHeader, type TiffPage, dtypeBytes, readHeader, readPages } from './ifd.js';
import { PageReader } from './page-reader.js';
import { type SeriesPlan, planSeries } from './series.js';
import { FileSource } from './source.js';
import type { TiffDataType, TiffFile, TiffSeries, TypedArray } from './types.js';

/** Decoded strips/tiles kept per open file, so block-wise reads of strip TIFFs decode each strip once. */
const CACHE_BYTES = 64 * 2 ** 20;

/** Beyond this many values an image cannot be real; refuse before allocating anything. */
const MAX_VALUES = 2 ** 48;

const arrayTypes: Record<TiffDataType, new (length: number) => TypedArray> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** A typed array of `dtype` with `length` elements. */
export function allocate(dtype: TiffDataType, length: number): TypedArray {
  return new arrayTypes[dtype](length);
}

/**
 * Open a TIFF file. Reads only the header and the IFDs; pixels are read by
 * each series' `readWindow`. Call `close()` when done.
 */
export async function openTiff(path: string): Promise<TiffFile> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError('no such file', { path, cause: error });
    throw new FairioError('IO_ERROR', `cannot open: ${(error as Error).message}`, { path, cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InvalidTiffError('is not a file', { path });
    const source = new FileSource(handle, path, stat.size);
    const header = await readHeader(source);
    const pages = await readPages(source, header);
    const { plans, omeXml, imagejMetadata } = await planSeries(source, header, pages);
    const series: TiffSeries[] = [];
    const cache = new ChunkCache(CACHE_BYTES);
    let firstProblem: unknown;
    for (const plan of plans) {
      try {
        series.push(makeSeries(source, header, pages, plan, cache));
      } catch (error) {
        // A thumbnail in an unsupported codec should not hide the image beside it.
        firstProblem ??= error;
      }
    }
    if (series.length === 0) throw firstProblem ?? new InvalidTiffError('contains no readable image', { path });
    return { path, series, omeXml, imagejMetadata, pageCount: pages.length, close: () => source.close() };
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof FairioError) throw error;
    throw new InvalidTiffError(`cannot be read as TIFF: ${(error as Error).message}`, { path, cause: error });
  }
}

function makeSeries(source: FileSource, header: TiffHeader, pages: TiffPage[], plan: SeriesPlan, cache: ChunkCache): TiffSeries {
  const key = plan.keyPage;
  const keyReader = new PageReader(source, header, key, cache); // validates type and codec now, not at first read
  const dtype = key.dtype!;
  const samples = key.samplesPerPixel;
  const planar = samples > 1 && key.planarConfig === 2;
  const interleaved = samples > 1 && !planar;
  const axes = [...plan.pageAxes, ...(plan.sampleAxis ? [plan.sampleAxis] : []), 'y', 'x'];
  const shape = [...plan.pageShape, ...(plan.sampleAxis ? [samples] : []), key.height, key.width];
  const planeCount = plan.pages.length * (planar ? samples : 1);
  const values = shape.reduce((a, b) => a * b, 1);
  if (!(values <= MAX_VALUES)) {
    throw new InvalidTiffError(`declares an image of shape [${shape.join(', ')}] (${values.toExponential(2)} values), too large to be real; the file is corrupt`, { path: source.path });
  }

  const readers = new Map<number, PageReader>([[plan.contiguous ? 0 : key.index, keyReader]]);
  const readerFor = (position: number): PageReader => {
    const index = plan.pages[position];
    let reader = readers.get(index);
    if (reader) return reader;
    if (plan.contiguous) {
      const { offset, planeBytes } = plan.contiguous;
      const page: TiffPage = { ...key, index, tiled: false, chunkHeight: key.height, chunkWidth: key.width };
      reader = new PageReader(source, header, page, undefined, { offsets: Float64Array.of(offset + index * planeBytes), byteCounts: Float64Array.of(planeBytes) });
    } else {
      if (index < 0) {
        throw new InvalidTiffError(`plane ${position} of series '${plan.name ?? ''}' is stored in another file (multi-file OME-TIFF), which fairio does not read`, { path: source.path });
      }
      const page = pages[index];
      if (page.width !== key.width || page.height !== key.height || page.dtype !== key.dtype || page.samplesPerPixel !== samples || page.planarConfig !== key.planarConfig) {
        throw new InvalidTiffError(`page ${index} (${page.width} × ${page.height} ${page.dtype ?? '?'}) does not match page ${key.index} (${key.width} × ${key.height} ${dtype}) of the same series`, { path: source.path });
      }
      reader = new PageReader(source, header, page, cache);
    }
    readers.set(index, reader);
    return reader;
  };

  /** Failures are FairioErrors; anything else (a codec bug, say) is reported as this file's problem. */
  const rethrow = (error: unknown, plane: number): never => {
    if (error instanceof FairioError) throw error;
    throw new InvalidTiffError(`plane ${plane} cannot be read: ${(error as Error).message}`, { path: source.path, cause: error });
  };
  const valuesPerPixel = interleaved ? samples : 1;
  const bytesPerValue = dtypeBytes(dtype);
  return {
    axes,
    shape,
    dtype,
    physicalSizes: plan.physicalSizes,
    channelNames: plan.channelNames,
    channelColors: plan.channelColors,
    name: plan.name,
    kind: plan.kind,
    samplesInterleaved: interleaved,
    samplesPerPixel: valuesPerPixel,
    planeCount,
    tileShape: [key.chunkHeight, key.chunkWidth],
    async readWindow(plane, y0, y1, x0, x1, into) {
      const ok = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
      if (!ok(plane, 0, planeCount - 1) || !ok(y0, 0, key.height - 1) || !ok(y1, y0 + 1, key.height) || !ok(x0, 0, key.width - 1) || !ok(x1, x0 + 1, key.width)) {
        throw new FairioError('INVALID_ARGUMENT', `readWindow(${plane}, ${y0}, ${y1}, ${x0}, ${x1}) is outside ${planeCount} planes of ${key.height} × ${key.width} pixels`, { path: source.path });
      }
      const position = planar ? Math.floor(plane / samples) : plane;
      const reader = readerFor(position);
      await reader.prepare().catch((error: unknown) => rethrow(error, plane));
      const length = (y1 - y0) * (x1 - x0) * valuesPerPixel;
      let out: TypedArray;
      try {
        if (into && (into.length !== length || !(into instanceof arrayTypes[dtype]))) {
          throw new FairioError('INVALID_ARGUMENT', `readWindow needs a ${dtype} array of ${length} values to read into`, { path: source.path });
        }
        // A reused buffer is cleared: sparse strips or tiles are left as zeros, not stale pixels.
        out = into ? into.fill(0) : allocate(dtype, length);
      } catch (error) {
        if (error instanceof FairioError) throw error;
        throw new FairioError('INVALID_ARGUMENT', `a window of ${length} values is too large to hold in memory; read it in smaller blocks`, { path: source.path, cause: error });
      }
      const bytes = new Uint8Array(out.buffer, out.byteOffset, length * bytesPerValue);
      await reader.readWindow(planar ? plane % samples : 0, y0, y1, x0, x1, bytes).catch((error: unknown) => rethrow(error, plane));
      return out;
    },
  };
}
