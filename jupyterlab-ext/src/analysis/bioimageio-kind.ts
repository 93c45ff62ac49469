/**
 * The bioimage.io model kind: the page's side of the model worker
 * (model-worker.ts, through worker-client.ts: started from a Blob URL of its
 * bundled source; cancelling a run terminates it, as ONNX Runtime cannot be
 * interrupted inside a tile, and the next run loads the model again).
 */
import type { ToModelWorker } from './protocol.js';
import type { AnalysisContext, AnalysisKind, PreparedAnalysis } from './runner.js';
import { AnalysisWorker, prepareInWorker } from './worker-client.js';

/** The worker's source (with ONNX Runtime Web, ~0.5 MB) is its own webpack chunk, loaded on the first analysis. */
const source = () => import('../analysis-worker-source.js');

/**
 * Threads ONNX Runtime Web may use: one. Several need SharedArrayBuffer, which a page has only when it is
 * cross-origin isolated (JupyterLab's pages are not), and ONNX Runtime would start its thread workers from its
 * JavaScript glue's own URL, which the bundled worker (started from a Blob URL) does not have.
 */
export function ortThreads(): number {
  return 1;
}

export const bioimageioKind: AnalysisKind = {
  id: 'bioimageio',
  label: 'bioimage.io model',
  pathHint: 'model folder, rdf.yaml / bioimageio.yaml or .zip',
  prepare(path: string, context: AnalysisContext): Promise<PreparedAnalysis> {
    const prepareMessage: ToModelWorker = {
      type: 'prepare',
      server: { baseUrl: context.baseUrl, token: context.token },
      path,
      wasmUrl: `${context.staticUrl}ort/ort-wasm-simd-threaded.wasm`,
      threads: ortThreads(),
    };
    return prepareInWorker(new AnalysisWorker<ToModelWorker>('fairio-model', source), prepareMessage, (request) => ({ type: 'run' as const, request, tile: context.tileSize }));
  },
};
