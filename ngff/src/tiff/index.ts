/**
 * TIFF and OME-TIFF for fairio: a compact reader (classic TIFF and BigTIFF,
 * strips and tiles, LZW / Deflate / PackBits, predictors, OME-XML, ImageJ
 * hyperstacks) that reads windows of planes without loading whole files, and
 * a streaming writer.
 *
 * ```ts
 * const tiff = await openTiff('cells.ome.tiff');
 * const [series] = tiff.series;            // axes ['c','z','y','x'], shape, dtype, physicalSizes
 * const block = await series.readWindow(0, 0, 256, 0, 256); // plane 0, rows 0–255, columns 0–255
 * await tiff.close();
 * await writeTiff('out.tif', planes, { width: 512, height: 512, dtype: 'uint16', planeCount: 10 });
 * ```
 *
 * Not read: SubIFDs (pyramid levels of OME-TIFFs are skipped; the full
 * resolution is read), JPEG and other lossy codecs, bilevel / 12-bit /
 * float16 samples, multi-file OME-TIFF datasets.
 */
export { openTiff } from './reader.js';
export { writeTiff } from './writer.js';
export { normalizeUnit } from './units.js';
export type {
  PhysicalSize,
  TiffDataType,
  TiffFile,
  TiffSeries,
  TiffSeriesKind,
  TypedArray,
  WriteTiffOptions,
} from './types.js';
