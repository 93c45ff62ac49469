/**
 * @fairio/ngff: OME-Zarr for fairio. Open (local folders, `.zip`, http(s)),
 * read regions at any pyramid level, write OME-NGFF 0.4 / 0.5 with pyramids,
 * convert TIFF / OME-TIFF, validate against the official schemas.
 *
 * ```ts
 * import { openOmeZarr } from '@fairio/ngff';
 * const image = await (await openOmeZarr('https://example.org/cells.ome.zarr')).image();
 * console.log(image.axisNames, image.levels.map((l) => l.shape));
 * const { data, shape } = await image.readRegion({ level: 2, select: { c: 0, z: 10 } });
 * ```
 *
 * @module
 */
export * from './errors.js';
export * from './metadata/types.js';
export { parseGroupAttributes, levelTransform } from './metadata/parse.js';
export { openStore, openUrlStore, isUrl, type NamedStore } from './store.js';
export { openOmeZarr, openGroup, OmeZarrGroup, type GroupKind } from './open.js';
export { OmeZarrImage, MAX_REGION_BYTES, bytesPerElement, type PyramidLevel, type RegionRequest, type Region, type AxisSelection } from './image.js';
export { summarise, type OmeZarrSummary, type ImageSummary, type LevelSummary, type PlateSummary } from './summary.js';
export { writeAtomically, type AtomicOptions } from './atomic.js';
export { writeImage, arraySource, DEFAULT_COMPRESSOR, type ImageSource, type WriteImageOptions, type WrittenImage } from './write/write-image.js';
export { imageAttributes, type ChannelDisplay, type WritableNgffVersion } from './write/ngff-attributes.js';
export { convertTiff, tiffSource, ngffAxes, type ConvertOptions } from './convert.js';
export { openTiff, writeTiff, type TiffFile, type TiffSeries } from './tiff/index.js';
export type { Compressor, DataType, TypedArray } from './zarr/index.js';
export { parseCompressor, COMPRESSOR_NAME_PATTERN } from './zarr/compressor-name.js';
export { planBlocks, iterateBlocks, WorkerPool, serveTasks, SpareArrays, type Block, type TaskContext } from './blocks/index.js';
export { validateAttributes, validateStore, formatReport, type ValidationReport, type Finding } from './validate/index.js';
export { syntheticSample, sampleOmeXml, type SyntheticSample } from './sample.js';
export { readBox, decodeChunk, pixelArrayFor, type PixelData } from './read-box.js';
export { boundedMap } from './blocks/index.js';
export { ByteLru } from './byte-lru.js';
export { copyOverlap } from './copy-overlap.js';
