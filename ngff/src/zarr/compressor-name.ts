/**
 * Compressors by name, as the command line, the Galaxy tools and node
 * parameters spell them: "blosc-zstd", "blosc-lz4", "blosc-blosclz",
 * "blosc-zlib", "zstd", "gzip" or "none", optionally with ":LEVEL" (blosc's
 * clevel 0–9, zstd's level, gzip's level). Blosc always byte-shuffles.
 */
import { FairioError } from '../errors.js';
import type { Compressor } from './types.js';

/** The names `parseCompressor` accepts, as a regular expression (Galaxy's validator, node parameter patterns). */
export const COMPRESSOR_NAME_PATTERN = '(blosc-zstd|blosc-lz4|blosc-blosclz|blosc-zlib|zstd|gzip|none)(:\\d+)?';

/** "blosc-zstd", "zstd:5", … → the compressor (blosc clevel 5, zstd level 3, gzip level 5 when no level is given). */
export function parseCompressor(text: string): Compressor {
  const [name, levelText] = text.split(':');
  const level = levelText === undefined ? undefined : Number(levelText);
  if (level !== undefined && !Number.isInteger(level)) throw new FairioError('INVALID_ARGUMENT', `compressor level must be an integer, not "${levelText}"`);
  switch (name) {
    case 'blosc-zstd':
    case 'blosc-lz4':
    case 'blosc-blosclz':
    case 'blosc-zlib':
      return { id: 'blosc', cname: name.slice(6) as 'zstd', clevel: level ?? 5, shuffle: 'shuffle' };
    case 'zstd':
      return { id: 'zstd', level: level ?? 3 };
    case 'gzip':
      return { id: 'gzip', level: level ?? 5 };
    case 'none':
      return { id: 'none' };
    default:
      throw new FairioError('INVALID_ARGUMENT', `unknown compressor "${text}" (choose blosc-zstd, blosc-lz4, zstd, gzip or none, optionally with :LEVEL)`);
  }
}
