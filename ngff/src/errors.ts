/**
 * Errors are data: every failure a user can cause is a `FairioError` with a
 * stable `code` (for tests and `--json` output) and a message that names the
 * file and the problem in words a biologist can act on.
 */

export type FairioErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_JSON'
  | 'INVALID_METADATA'
  | 'UNSUPPORTED'
  | 'CORRUPT_CHUNK'
  | 'SHAPE_TOO_LARGE'
  | 'INVALID_TIFF'
  | 'INVALID_ARGUMENT'
  | 'OUTPUT_EXISTS'
  | 'IO_ERROR'
  | 'MISSING_DEPENDENCY'
  | 'MACRO_FAILED'
  | 'TIMEOUT'
  | 'UNSAFE_INPUT';

export class FairioError extends Error {
  readonly code: FairioErrorCode;
  /** The file, URL or store path the error is about, when there is one. */
  readonly path?: string;

  constructor(code: FairioErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(options.path ? `${options.path}: ${message}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
  }
}

export class NotFoundError extends FairioError {
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super('NOT_FOUND', message, options);
  }
}

export class InvalidMetadataError extends FairioError {
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super('INVALID_METADATA', message, options);
  }
}

export class CorruptChunkError extends FairioError {
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super('CORRUPT_CHUNK', message, options);
  }
}

export class InvalidTiffError extends FairioError {
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super('INVALID_TIFF', message, options);
  }
}

export function isFairioError(error: unknown): error is FairioError {
  return error instanceof FairioError;
}
