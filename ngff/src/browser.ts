/**
 * @fairio/ngff/browser: the reading half of @fairio/ngff that runs in a web
 * page or a web worker (no Node built-ins): open OME-Zarr over http(s),
 * navigate series, labels and plates, and decode chunks with the same checks
 * as the command line. Bundlers also pick `store.browser.ts` and
 * `native-zstd.browser.ts` through the `browser` field of package.json.
 *
 * ```ts
 * import { decodeChunk, openGroup, openUrlStore } from '@fairio/ngff/browser';
 * const root = await openGroup(openUrlStore('https://example.org/cells.ome.zarr'), '');
 * const image = await root.image();
 * const chunk = await decodeChunk(image.levels[0].array, [0, 0, 0, 0, 0], image.group.location);
 * ```
 *
 * @module
 */
export * from './errors.js';
export * from './metadata/types.js';
export { parseGroupAttributes, levelTransform } from './metadata/parse.js';
export { openUrlStore, GuardedStore, isUrl, readJson, type NamedStore, type UrlStoreOptions } from './store-guard.js';
export { openOmeZarr, openGroup, OmeZarrGroup, joinPath, type GroupKind } from './open.js';
export { OmeZarrImage, openLevel, bytesPerElement, type PyramidLevel, type RegionRequest, type Region } from './image.js';
export { readBox, decodeChunk, pixelArrayFor, type PixelData } from './read-box.js';
export { SpareArrays } from './blocks/spare.js';
export { ByteLru } from './byte-lru.js';
export { copyOverlap } from './copy-overlap.js';
export { omeZarrFiles, type ImageFilesInput, type ImageFile } from './write/files.js';
export { imageAttributes, type ChannelDisplay } from './write/ngff-attributes.js';
