/**
 * @fairio/ngff/basics: what node descriptions and argument checks need —
 * errors, `isUrl`, compressor names — without loading the readers, writers
 * and codecs behind the main entry, so a command line that only registers
 * its commands (or prints help) starts fast.
 *
 * @module
 */
export * from './errors.js';
export { isUrl } from './store-guard.js';
export { parseCompressor, COMPRESSOR_NAME_PATTERN } from './zarr/compressor-name.js';
