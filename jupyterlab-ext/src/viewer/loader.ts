/**
 * The viewer's side of the chunk workers: a small pool of web workers
 * (started from the bundled worker source), requests routed by chunk so that
 * one worker sees every plane of a chunk and decodes it once, a bounded
 * number in flight per worker, queued requests that the view no longer needs
 * dropped, and counters that make loading measurable.
 */
import type { PlaneRequest, PlaneResponse, PlaneResult } from '../worker/protocol.js';

export class RequestCancelled extends Error {
  constructor() {
    super('no longer needed');
  }
}

export class PlaneError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface LoaderStats {
  /** Planes asked for. */
  planes: number;
  /** Chunks fetched and decoded (a chunk holding several asked-for planes counts once). */
  chunksFetched: number;
  bytes: number;
  failures: number;
  /** Time spent in workers, summed. */
  workerMs: number;
}

interface Pending {
  request: PlaneRequest;
  resolve: (r: PlaneResult) => void;
  reject: (e: Error) => void;
  wanted: () => boolean;
}

const IN_FLIGHT_PER_WORKER = 6;

let sourceUrl: Promise<string> | undefined;

function workerUrl(): Promise<string> {
  // Loaded on first use: the bundle (zarrita, codecs) stays out of JupyterLab's start-up.
  sourceUrl ??= import('../worker-source.js').then(({ default: source }) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  return sourceUrl;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class ChunkLoader {
  readonly stats: LoaderStats = { planes: 0, chunksFetched: 0, bytes: 0, failures: 0, workerMs: 0 };
  private workers: Promise<Worker[]> | undefined;
  private readonly queues: Pending[][];
  private readonly inFlight: Map<number, Pending>[];
  private nextId = 1;
  private disposed = false;

  constructor(private readonly count: number) {
    this.queues = Array.from({ length: count }, () => []);
    this.inFlight = Array.from({ length: count }, () => new Map());
  }

  /** Workers for a setting of 0 (automatic): the cores the browser reports, between 1 and 4. */
  static workerCount(setting: number): number {
    if (setting > 0) return setting;
    return Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
  }

  /** One plane; `wanted` is asked before the request is sent, so a view that moved on can drop it. */
  plane(request: Omit<PlaneRequest, 'id'>, wanted: () => boolean = () => true): Promise<PlaneResult> {
    if (this.disposed) return Promise.reject(new RequestCancelled());
    const full: PlaneRequest = { ...request, id: this.nextId++ };
    const worker = hash(`${request.store.url}|${request.arrayPath}|${request.coord.join(',')}`) % this.count;
    this.stats.planes += 1;
    return new Promise((resolve, reject) => {
      this.queues[worker].push({ request: full, resolve, reject, wanted });
      void this.pump(worker);
    });
  }

  private start(): Promise<Worker[]> {
    this.workers ??= workerUrl().then((url) =>
      Array.from({ length: this.count }, (_, i) => {
        const worker = new Worker(url, { name: `fairio-chunks-${i}` });
        worker.onmessage = (event: MessageEvent<PlaneResponse>) => this.answer(i, event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          for (const pending of this.inFlight[i].values()) pending.reject(new PlaneError('WORKER_ERROR', `chunk worker failed: ${event.message}`));
          this.inFlight[i].clear();
        };
        return worker;
      }),
    );
    return this.workers;
  }

  private async pump(index: number): Promise<void> {
    const workers = await this.start();
    const queue = this.queues[index];
    while (queue.length > 0 && this.inFlight[index].size < IN_FLIGHT_PER_WORKER && !this.disposed) {
      const pending = queue.shift()!;
      if (!pending.wanted()) {
        pending.reject(new RequestCancelled());
        continue;
      }
      this.inFlight[index].set(pending.request.id, pending);
      workers[index].postMessage(pending.request);
    }
  }

  private answer(index: number, response: PlaneResponse): void {
    const pending = this.inFlight[index].get(response.id);
    this.inFlight[index].delete(response.id);
    void this.pump(index);
    if (!pending) return;
    if (response.ok) {
      if (response.fetched) this.stats.chunksFetched += 1;
      this.stats.bytes += response.bytes;
      this.stats.workerMs += response.ms;
      pending.resolve(response);
    } else {
      this.stats.failures += 1;
      pending.reject(new PlaneError(response.code, response.message));
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const queue of this.queues) queue.splice(0).forEach((p) => p.reject(new RequestCancelled()));
    void this.workers?.then((workers) => workers.forEach((w) => w.terminate()));
  }
}
