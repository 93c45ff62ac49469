/**
 * Reads a window of one page (IFD): finds the strips or tiles that intersect
 * it, reads only those (only the needed rows when uncompressed), decodes,
 * byte-swaps and un-predicts them, and copies the intersecting part into the
 * caller's buffer. Memory used is the window plus a few chunks in flight.
 */
import { InvalidTiffError } from '../errors.js';
import { compressionName, decompress, isSupportedCompression } from './decompress.js';
import type { ChunkCache } from './chunk-cache.js';
import { type ChunkTable, type TiffHeader, type TiffPage, dtypeBytes, readChunkTable } from './ifd.js';
import { undoFloatingPoint, undoHorizontal } from './predictor.js';
import type { FileSource } from './source.js';
import { Compression, Predictor } from './tags.js';

/** Chunks decoded concurrently within one window read. */
const IN_FLIGHT = 8;

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class PageReader {
  private table?: Promise<ChunkTable>;
  readonly bytesPerSample: number;
  /** Samples per pixel inside one chunk: all of them when chunky, 1 when planar. */
  readonly chunkSamples: number;
  private readonly swap: boolean;
  private readonly across: number;
  private readonly down: number;

  constructor(
    private readonly source: FileSource,
    private readonly header: TiffHeader,
    readonly page: TiffPage,
    /** Decoded chunks shared by the pages of the file, if any. */
    private readonly cache?: ChunkCache,
    /** A known strip table, for planes that have no IFD of their own. */
    table?: ChunkTable,
  ) {
    if (table) this.table = Promise.resolve(table);
    if (!page.dtype) throw this.error(page.dtypeProblem ?? 'has an unsupported sample type');
    if (!isSupportedCompression(page.compression)) {
      throw this.error(`uses compression ${page.compression} (${compressionName(page.compression)}), which fairio does not decode; convert it with Fiji or bfconvert to LZW or Deflate first`);
    }
    if (page.predictor !== Predictor.None && page.predictor !== Predictor.Horizontal && page.predictor !== Predictor.FloatingPoint) {
      throw this.error(`uses an unknown Predictor ${page.predictor}`);
    }
    this.bytesPerSample = dtypeBytes(page.dtype);
    this.chunkSamples = page.planarConfig === 2 ? 1 : page.samplesPerPixel;
    this.swap = this.bytesPerSample > 1 && header.littleEndian !== hostLittleEndian && page.predictor !== Predictor.FloatingPoint;
    this.across = Math.ceil(page.width / page.chunkWidth);
    this.down = Math.ceil(page.height / page.chunkHeight);
  }

  private error(problem: string): InvalidTiffError {
    return new InvalidTiffError(`page ${this.page.index} ${problem}`, { path: this.source.path });
  }

  /** Load and check the strip/tile table, so a corrupt page fails before a caller allocates for it. */
  async prepare(): Promise<void> {
    await this.chunkTable();
  }

  private chunkTable(): Promise<ChunkTable> {
    this.table ??= readChunkTable(this.source, this.header, this.page).then((table) => {
      const needed = this.across * this.down * (this.page.planarConfig === 2 ? this.page.samplesPerPixel : 1);
      const kind = this.page.tiled ? 'tiles' : 'strips';
      if (table.offsets.length < needed) throw this.error(`lists ${table.offsets.length} ${kind} but its size needs ${needed}`);
      if (!table.byteCounts && this.page.compression !== Compression.None) throw this.error(`lacks the byte counts of its compressed ${kind}`);
      if (table.byteCounts && table.byteCounts.length < needed) throw this.error(`lists ${table.byteCounts.length} ${kind} byte counts but needs ${needed}`);
      return table;
    });
    return this.table;
  }

  /**
   * Copy rows [y0, y1) and columns [x0, x1) of sample plane `sample` (0 when
   * chunky) into `out`, row-major with (x1-x0) × chunkSamples values per row.
   */
  async readWindow(sample: number, y0: number, y1: number, x0: number, x1: number, out: Uint8Array): Promise<void> {
    const { page } = this;
    const table = await this.chunkTable();
    const raw = page.compression === Compression.None;
    const window: Window = { y0, y1, x0, x1, out, rowBytes: (x1 - x0) * this.pixelBytes };
    const jobs = this.plan(table, sample, window);
    if (raw && !page.tiled && x0 === 0 && x1 === page.width) {
      await this.readRowsDirect(jobs, window);
    } else {
      const toRead: ChunkJob[] = [];
      for (const job of jobs) {
        const cached = raw ? undefined : this.cache?.get(this.cacheKey(job));
        if (cached) this.place(job, cached, job.chunkY, window);
        else toRead.push(job);
      }
      const spans = coalesce(toRead);
      await runLimited(spans.map((span) => () => this.readSpan(span, window)), IN_FLIGHT);
    }
    // Raw data is copied in file byte order; swap once at the end.
    if (raw && this.swap) swapBytes(out, this.bytesPerSample);
  }

  private get pixelBytes(): number {
    return this.chunkSamples * this.bytesPerSample;
  }

  private cacheKey(job: ChunkJob): string {
    return `${this.page.index}:${job.index}`;
  }

  private describeChunk(index: number): string {
    return `${this.page.tiled ? 'tile' : 'strip'} ${index} of page ${this.page.index}`;
  }

  /** The chunks that intersect the window, with the file bytes each needs. Sparse chunks stay zero. */
  private plan(table: ChunkTable, sample: number, w: Window): ChunkJob[] {
    const { page } = this;
    const raw = page.compression === Compression.None;
    const chunkRowBytes = page.chunkWidth * this.pixelBytes;
    const jobs: ChunkJob[] = [];
    const lastRow = Math.floor((w.y1 - 1) / page.chunkHeight);
    const lastCol = Math.floor((w.x1 - 1) / page.chunkWidth);
    for (let cr = Math.floor(w.y0 / page.chunkHeight); cr <= lastRow; cr++) {
      const chunkY = cr * page.chunkHeight;
      // Tiles always hold full tiles; the last strip holds only the remaining rows.
      const chunkRows = page.tiled ? page.chunkHeight : Math.min(page.chunkHeight, page.height - chunkY);
      const rowA = Math.max(w.y0, chunkY);
      const rowB = Math.min(w.y1, chunkY + chunkRows);
      for (let cc = Math.floor(w.x0 / page.chunkWidth); cc <= lastCol; cc++) {
        const index = sample * this.across * this.down + cr * this.across + cc;
        const offset = table.offsets[index];
        const byteCount = table.byteCounts ? table.byteCounts[index] : chunkRows * chunkRowBytes;
        if (offset === 0 || byteCount === 0) continue; // sparse: zeros, like tifffile's fill value
        const chunkX = cc * page.chunkWidth;
        const job: ChunkJob = {
          index, chunkY, chunkX, chunkRows, rowA, rowB,
          colA: Math.max(w.x0, chunkX),
          colB: Math.min(w.x1, chunkX + page.chunkWidth, page.width),
          start: offset,
          length: byteCount,
        };
        if (raw) {
          if (byteCount < chunkRows * chunkRowBytes) {
            throw new InvalidTiffError(`${this.describeChunk(index)} holds ${byteCount} bytes but needs ${chunkRows * chunkRowBytes}; the file is truncated or corrupt`, { path: this.source.path });
          }
          // Only the rows the window needs.
          job.start = offset + (rowA - chunkY) * chunkRowBytes;
          job.length = (rowB - rowA) * chunkRowBytes;
        }
        this.source.checkRange(job.start, job.length, this.describeChunk(index));
        jobs.push(job);
      }
    }
    return jobs;
  }

  /** Uncompressed strips across the full width: file bytes are output bytes, so read runs of them in place. */
  private async readRowsDirect(jobs: ChunkJob[], w: Window): Promise<void> {
    const runs: ChunkJob[][] = [];
    for (const job of jobs) {
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      if (last && last.start + last.length === job.start && last.rowB === job.rowA && run.length < MAX_RUN) run.push(job);
      else runs.push([job]);
    }
    await runLimited(runs.map((run) => async () => {
      const first = run[0];
      const last = run[run.length - 1];
      const target = w.out.subarray((first.rowA - w.y0) * w.rowBytes, (last.rowB - w.y0) * w.rowBytes);
      await this.source.readInto(target, first.start, this.describeChunk(first.index));
    }), IN_FLIGHT);
  }

  /** Read one span of the file and decode and place every chunk in it. */
  private async readSpan(span: Span, w: Window): Promise<void> {
    const { page } = this;
    const first = span.jobs[0];
    const bytes = await this.source.read(span.start, span.end - span.start, this.describeChunk(first.index));
    for (const job of span.jobs) {
      const data = bytes.subarray(job.start - span.start, job.start - span.start + job.length);
      if (page.compression === Compression.None) {
        this.place(job, data, job.rowA, w);
      } else {
        const decoded = await this.decode(job, data);
        this.cache?.set(this.cacheKey(job), decoded);
        this.place(job, decoded, job.chunkY, w);
      }
    }
  }

  private async decode(job: ChunkJob, compressed: Uint8Array): Promise<Uint8Array> {
    const { page } = this;
    const rowSamples = page.chunkWidth * this.chunkSamples;
    try {
      const data = await decompress(page.compression, compressed, job.chunkRows * rowSamples * this.bytesPerSample);
      if (this.swap) swapBytes(data, this.bytesPerSample);
      if (page.predictor === Predictor.Horizontal) undoHorizontal(data, this.bytesPerSample, rowSamples, job.chunkRows, this.chunkSamples);
      else if (page.predictor === Predictor.FloatingPoint) undoFloatingPoint(data, this.bytesPerSample, rowSamples, job.chunkRows, this.chunkSamples);
      return data;
    } catch (error) {
      throw new InvalidTiffError(`${this.describeChunk(job.index)}: ${(error as Error).message}`, { path: this.source.path, cause: error });
    }
  }

  /** Copy the window's part of a chunk; `data` starts at image row `dataRow0` and column `job.chunkX`. */
  private place(job: ChunkJob, data: Uint8Array, dataRow0: number, w: Window): void {
    const pixelBytes = this.pixelBytes;
    const chunkRowBytes = this.page.chunkWidth * pixelBytes;
    const segment = (job.colB - job.colA) * pixelBytes;
    let src = (job.rowA - dataRow0) * chunkRowBytes + (job.colA - job.chunkX) * pixelBytes;
    let dst = (job.rowA - w.y0) * w.rowBytes + (job.colA - w.x0) * pixelBytes;
    for (let r = job.rowA; r < job.rowB; r++) {
      w.out.set(data.subarray(src, src + segment), dst);
      src += chunkRowBytes;
      dst += w.rowBytes;
    }
  }
}

interface Window {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  out: Uint8Array;
  rowBytes: number;
}

interface ChunkJob {
  index: number;
  chunkY: number;
  chunkX: number;
  chunkRows: number;
  /** Rows and columns of the window inside this chunk. */
  rowA: number;
  rowB: number;
  colA: number;
  colB: number;
  /** File bytes to read. */
  start: number;
  length: number;
}

interface Span {
  start: number;
  end: number;
  jobs: ChunkJob[];
}

/** Chunks closer than this in the file are read together (saves a read call per tiny strip). */
const MAX_GAP = 8 * 1024;
const MAX_SPAN = 4 * 1024 * 1024;
const MAX_RUN = 4096;

/** Merge the file ranges of nearby chunks into spans read with one call each. */
function coalesce(jobs: ChunkJob[]): Span[] {
  const sorted = [...jobs].sort((a, b) => a.start - b.start);
  const spans: Span[] = [];
  for (const job of sorted) {
    const span = spans[spans.length - 1];
    const end = job.start + job.length;
    if (span && job.start - span.end <= MAX_GAP && Math.max(span.end, end) - span.start <= MAX_SPAN) {
      span.end = Math.max(span.end, end);
      span.jobs.push(job);
    } else {
      spans.push({ start: job.start, end, jobs: [job] });
    }
  }
  return spans;
}

function swapBytes(data: Uint8Array, bytesPerSample: number): void {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytesPerSample === 2) buffer.swap16();
  else if (bytesPerSample === 4) buffer.swap32();
  else if (bytesPerSample === 8) buffer.swap64();
}

/** Run async jobs with at most `limit` in flight; the first failure rejects. */
async function runLimited(jobs: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}
