/**
 * A pool of worker threads that run independent block tasks (encode a chunk,
 * filter a block) in parallel. Workers start on demand up to `size`, each runs
 * one task at a time, a worker that dies is replaced, and idle workers do not
 * keep the process alive.
 *
 * The worker module is a `.js` file in production (`dist/`) or a `.ts` file
 * when vitest or tsx runs the sources; `.ts` workers are started with tsx
 * (which is then needed, as the root devDependency it is).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { FairioError } from '../errors.js';
import { boundedMap } from './bounded.js';
import { reviveError, type ReadyMessage, type ResultMessage, type TaskMessage } from './protocol.js';

export interface WorkerPoolOptions {
  /** Number of worker threads; default `os.availableParallelism()`. */
  size?: number;
  /** Thread name shown in debuggers and crash messages. */
  name?: string;
}

export interface MapOptions<In> {
  /** Tasks started but not yet consumed; default twice the pool size. */
  concurrency?: number;
  /** Objects of a task to move to the worker rather than copy (e.g. its pixel buffer). */
  transfer?: (task: In) => TransferListItem[];
}

interface Job {
  id: number;
  task: unknown;
  transfer: TransferListItem[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** The uncaught error that is about to end this worker, if any. */
  crash?: Error;
  /** Whether the worker module loaded and called `serveTasks`. */
  ready: boolean;
}

let tsxApi: string | undefined;

/** File URL of tsx's ESM register API (the `import` condition of `tsx/esm/api`). */
function tsxApiUrl(): string {
  if (!tsxApi) {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve('tsx/package.json');
    const exports = JSON.parse(fs.readFileSync(manifest, 'utf8')).exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
    tsxApi = pathToFileURL(path.join(path.dirname(manifest), exports)).href;
  }
  return tsxApi;
}

/**
 * Start a worker on a TypeScript module. Node 20 does not apply loader hooks
 * given as `execArgv: ['--import', 'tsx']` to a worker's entry module, so a
 * small bootstrap registers tsx in the worker, then imports the module.
 */
function typescriptWorker(module: URL, name: string): Worker {
  const code = `(async () => {
  const { register } = await import(${JSON.stringify(tsxApiUrl())});
  register();
  await import(${JSON.stringify(module.href)});
})().catch((error) => process.nextTick(() => { throw error; }));`;
  return new Worker(code, { eval: true, name });
}

/**
 * Workers inherit the parent's Node options, but some only make sense for a
 * main script (e.g. `--input-type` when fairio runs under `node -e`) and
 * stop a worker from starting.
 */
function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
}

export class WorkerPool<In, Out> {
  readonly size: number;
  readonly #module: URL;
  readonly #name: string;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 0;
  #closed = false;

  constructor(workerModule: URL, options: WorkerPoolOptions = {}) {
    const size = options.size ?? os.availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new FairioError('INVALID_ARGUMENT', `pool size must be a positive integer, got ${size}`);
    this.size = size;
    this.#module = workerModule;
    this.#name = options.name ?? 'fairio-worker';
  }

  /** Tasks waiting for a worker plus tasks running. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((s) => s.job).length;
  }

  /** Run one task on the next free worker. Objects in `transfer` are moved, not copied, and become unusable here. */
  run(task: In, transfer: TransferListItem[] = []): Promise<Out> {
    if (this.#closed) return Promise.reject(new FairioError('INVALID_ARGUMENT', 'the worker pool is closed'));
    return new Promise<Out>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, transfer, resolve: resolve as (value: unknown) => void, reject });
      this.#pump();
    });
  }

  /**
   * Run `toTask(item)` for every item on the pool and yield the results in
   * item order, with at most `concurrency` tasks in flight, so memory stays
   * bounded however many items there are.
   */
  map<T>(
    items: Iterable<T> | AsyncIterable<T>,
    toTask: (item: T, index: number) => In | Promise<In>,
    options: MapOptions<In> = {},
  ): AsyncGenerator<Out, void, undefined> {
    const limit = options.concurrency ?? this.size * 2;
    return boundedMap(
      items,
      async (item, index) => {
        const task = await toTask(item, index);
        return this.run(task, options.transfer?.(task) ?? []);
      },
      limit,
    ) as AsyncGenerator<Out, void, undefined>;
  }

  /** Reject queued and running tasks and terminate every worker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = () => new FairioError('INVALID_ARGUMENT', 'the worker pool was closed before the task finished');
    for (const job of this.#queue.splice(0)) job.reject(closed());
    const slots = this.#slots.splice(0);
    for (const slot of slots) {
      slot.job?.reject(closed());
      slot.job = undefined;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      let slot = this.#slots.find((s) => !s.job);
      if (!slot) {
        if (this.#slots.length >= this.size) return;
        slot = this.#spawn();
      }
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id: job.id, task: job.task } satisfies TaskMessage<unknown>, job.transfer);
      } catch (error) {
        slot.job = undefined;
        slot.worker.unref();
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  #spawn(): Slot {
    const worker = /\.[cm]?ts$/.test(this.#module.pathname)
      ? typescriptWorker(this.#module, this.#name)
      : new Worker(this.#module, { name: this.#name, execArgv: workerExecArgv() });
    const slot: Slot = { worker, ready: false };
    worker.unref();
    worker.on('message', (message: ResultMessage<unknown> | ReadyMessage) => {
      if ('ready' in message) {
        slot.ready = true;
        return;
      }
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = undefined;
      worker.unref();
      if (message.ok) job.resolve(message.value);
      else job.reject(reviveError(message.error));
      this.#pump();
    });
    worker.on('error', (error) => {
      slot.crash = error;
    });
    worker.on('exit', (code) => {
      const at = this.#slots.indexOf(slot);
      if (at >= 0) this.#slots.splice(at, 1);
      const job = slot.job;
      slot.job = undefined;
      if (!slot.ready && !this.#closed) {
        // The module itself does not load: every waiting task would fail the same way.
        const error = new FairioError('IO_ERROR', `worker module ${this.#module.href} failed to start: ${slot.crash?.message ?? `exit code ${code}`}`, {
          cause: slot.crash,
        });
        for (const waiting of [...(job ? [job] : []), ...this.#queue.splice(0)]) waiting.reject(error);
        return;
      }
      if (job) {
        job.reject(
          slot.crash ??
            new FairioError('IO_ERROR', `worker thread ${this.#name} (${this.#module.href}) stopped with exit code ${code} while running a task`),
        );
      }
      this.#pump(); // replaces the worker if tasks are waiting
    });
    this.#slots.push(slot);
    return slot;
  }
}
