/**
 * The bioimage.io model kind: the page's side of the model worker. The worker
 * is started from a Blob URL of its bundled source; cancelling a run
 * terminates it (ONNX Runtime cannot be interrupted inside a tile), and the
 * next run starts a fresh one that loads the model again.
 */
import type { FromModelWorker, ToModelWorker } from './protocol.js';
import { AnalysisCancelled, type AnalysisContext, type AnalysisKind, type AnalysisOutput, type AnalysisProgress, type AnalysisRequest, type PreparedAnalysis } from './runner.js';

/** The worker's source (with ONNX Runtime Web, ~0.5 MB) is its own webpack chunk, loaded on the first analysis. */
let workerUrl: Promise<string> | undefined;

/** Threads ONNX Runtime Web may use: several only where the page is cross-origin isolated (SharedArrayBuffer). */
export function ortThreads(): number {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return isolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
}

class ModelWorker {
  private worker: Worker | undefined;

  /** Send one message and wait for its answer (progress messages go to `onProgress`). */
  call(message: ToModelWorker, onProgress?: (p: AnalysisProgress) => void, signal?: AbortSignal): Promise<FromModelWorker> {
    workerUrl ??= import('../analysis-worker-source.js').then(({ default: source }) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    return workerUrl.then((url) => this.send(url, message, onProgress, signal));
  }

  private send(url: string, message: ToModelWorker, onProgress?: (p: AnalysisProgress) => void, signal?: AbortSignal): Promise<FromModelWorker> {
    const worker = (this.worker ??= new Worker(url, { name: 'fairio-model' }));
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.terminate();
        reject(new AnalysisCancelled());
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      worker.onmessage = (event: MessageEvent<FromModelWorker>) => {
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
        reject(new Error(`the model worker failed: ${event.message}`));
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

export const bioimageioKind: AnalysisKind = {
  id: 'bioimageio',
  label: 'bioimage.io model',
  pathHint: 'model folder, rdf.yaml / bioimageio.yaml or .zip',
  async prepare(path: string, context: AnalysisContext): Promise<PreparedAnalysis> {
    const worker = new ModelWorker();
    const prepareMessage: ToModelWorker = {
      type: 'prepare',
      server: { baseUrl: context.baseUrl, token: context.token },
      path,
      wasmUrl: `${context.staticUrl}ort/ort-wasm-simd-threaded.wasm`,
      threads: ortThreads(),
    };
    const prepared = await worker.call(prepareMessage).catch((e: unknown) => {
      worker.terminate();
      throw e;
    });
    if (prepared.type !== 'prepared') throw new Error('the model worker answered out of turn');
    return {
      description: prepared.description,
      inputChannels: prepared.inputChannels,
      async run(request: AnalysisRequest, options): Promise<AnalysisOutput> {
        // After a cancel the worker is gone: a fresh one loads the model again first.
        if (!worker.alive) await worker.call(prepareMessage, undefined, options.signal);
        const reply = await worker.call({ type: 'run', request, tile: context.tileSize }, options.onProgress, options.signal);
        if (reply.type !== 'result') throw new Error('the model worker answered out of turn');
        return reply.output;
      },
      dispose: () => worker.terminate(),
    };
  },
};
