/**
 * The page's side of an analysis worker (the bioimage.io model worker, the
 * pixel-classifier worker): a web worker started from a Blob URL of its
 * bundled source (a string module, its own webpack chunk, imported on the
 * first analysis), one message at a time with progress in between;
 * cancelling a run terminates it (neither ONNX Runtime nor the feature bank
 * can be interrupted midway), and the next run starts a fresh one that
 * prepares again. `prepareInWorker` makes the `PreparedAnalysis` a kind returns.
 */
import type { FromAnalysisWorker } from './protocol.js';
import { AnalysisCancelled, type AnalysisProgress, type AnalysisRequest, type PreparedAnalysis } from './runner.js';

const urls = new Map<() => Promise<{ default: string }>, Promise<string>>();

export class AnalysisWorker<To> {
  private worker: Worker | undefined;

  /** `source` imports the worker's bundled source (e.g. `() => import('../analysis-worker-source.js')`). */
  constructor(
    private readonly name: string,
    private readonly source: () => Promise<{ default: string }>,
  ) {}

  /** Send one message and wait for its answer (progress messages go to `onProgress`). */
  call(message: To, onProgress?: (p: AnalysisProgress) => void, signal?: AbortSignal): Promise<FromAnalysisWorker> {
    let url = urls.get(this.source);
    if (!url) {
      url = this.source().then(({ default: code }) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      urls.set(this.source, url);
    }
    return url.then((u) => this.send(u, message, onProgress, signal));
  }

  private send(url: string, message: To, onProgress?: (p: AnalysisProgress) => void, signal?: AbortSignal): Promise<FromAnalysisWorker> {
    const worker = (this.worker ??= new Worker(url, { name: this.name }));
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.terminate();
        reject(new AnalysisCancelled());
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      worker.onmessage = (event: MessageEvent<FromAnalysisWorker>) => {
        const reply = event.data;
        if (reply.type === 'progress') return onProgress?.(reply.progress);
        signal?.removeEventListener('abort', abort);
        if (reply.type === 'error') reject(new Error(reply.message));
        else resolve(reply);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        signal?.removeEventListener('abort', abort);
        this.terminate();
        reject(new Error(`the ${this.name} worker failed: ${event.message}`));
      };
      worker.postMessage(message);
    });
  }

  get alive(): boolean {
    return this.worker !== undefined;
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Prepare a tool in `worker` and wrap it as a PreparedAnalysis whose runs go to the same worker. */
export async function prepareInWorker<To>(worker: AnalysisWorker<To>, prepare: To, run: (request: AnalysisRequest) => To): Promise<PreparedAnalysis> {
  const prepared = await worker.call(prepare).catch((e: unknown) => {
    worker.terminate();
    throw e;
  });
  if (prepared.type !== 'prepared') throw new Error('the analysis worker answered out of turn');
  return {
    description: prepared.description,
    inputChannels: prepared.inputChannels,
    async run(request, options) {
      // After a cancel the worker is gone: a fresh one prepares the tool again first.
      if (!worker.alive) await worker.call(prepare, undefined, options.signal);
      const reply = await worker.call(run(request), options.onProgress, options.signal);
      if (reply.type !== 'result') throw new Error('the analysis worker answered out of turn');
      return reply.output;
    },
    dispose: () => worker.terminate(),
  };
}
