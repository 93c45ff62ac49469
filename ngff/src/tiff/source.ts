/**
 * Positioned reads from an open TIFF file. The file is never read whole:
 * metadata goes through a small read-ahead window (IFDs of one file tend to
 * sit together), pixel data is read chunk by chunk into fresh buffers.
 */
import type { FileHandle } from 'node:fs/promises';
import { InvalidTiffError } from '../errors.js';

/** Metadata reads fetch at least this much so neighbouring IFDs come for free. */
const READ_AHEAD = 64 * 1024;

export class FileSource {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly size: number,
  ) {}

  /**
   * Exactly `length` bytes at `offset` into a new, 8-byte-aligned buffer.
   * `what` names the data for the error raised when the file is too short.
   */
  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    this.checkRange(offset, length, what); // before allocating: lengths come from the file
    const out = new Uint8Array(length);
    await this.readInto(out, offset, what);
    return out;
  }

  /** Fill `target` from `offset`; throws InvalidTiffError when the file ends first. */
  async readInto(target: Uint8Array, offset: number, what: string): Promise<void> {
    this.checkRange(offset, target.length, what);
    if (this.closed) throw new InvalidTiffError('the file was already closed', { path: this.path });
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await this.handle.read(target, done, target.length - done, offset + done);
      if (bytesRead === 0) throw this.truncated(offset, target.length, what);
      done += bytesRead;
    }
  }

  /** Bytes for metadata; the result may be a view into the shared read-ahead window. */
  async meta(offset: number, length: number, what: string): Promise<Uint8Array> {
    this.checkRange(offset, length, what);
    const start = offset - this.windowStart;
    if (start >= 0 && start + length <= this.window.length) return this.window.subarray(start, start + length);
    if (length >= READ_AHEAD) return this.read(offset, length, what);
    const span = Math.min(READ_AHEAD, this.size - offset);
    this.window = await this.read(offset, span, what);
    this.windowStart = offset;
    return this.window.subarray(0, length);
  }

  checkRange(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new InvalidTiffError(`${what} has an invalid position (offset ${offset}, ${length} bytes)`, { path: this.path });
    }
    if (offset + length > this.size) throw this.truncated(offset, length, what);
  }

  private truncated(offset: number, length: number, what: string): InvalidTiffError {
    return new InvalidTiffError(
      `${what} lies beyond the end of the file (bytes ${offset}–${offset + length}, file size ${this.size}); the file is truncated or corrupt`,
      { path: this.path },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
