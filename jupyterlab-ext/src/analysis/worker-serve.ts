/**
 * The worker's side of an analysis worker: answer `prepare` and `run`
 * messages one by one, the result's pixels transferred, errors as their
 * FairioError code and message (shown in the Analyse panel).
 */
import { FairioError } from '@fairio/ngff/browser';
import type { FromAnalysisWorker } from './protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<{ type: string }>) => void) | null;
  postMessage(message: FromAnalysisWorker, transfer?: Transferable[]): void;
}

/** Progress messages go out through this (call it from `prepare` / `run`). */
export function postProgress(done: number, total: number, phase: string): void {
  (self as unknown as WorkerScope).postMessage({ type: 'progress', progress: { done, total, phase } });
}

export function serveAnalysisWorker<P extends { type: 'prepare' }, R extends { type: 'run' }>(handlers: {
  prepare(message: P): Promise<FromAnalysisWorker>;
  run(message: R): Promise<FromAnalysisWorker>;
}): void {
  const scope = self as unknown as WorkerScope;
  scope.onmessage = (event) => {
    const message = event.data as P | R;
    (message.type === 'prepare' ? handlers.prepare(message as P) : handlers.run(message as R)).then(
      (reply) => scope.postMessage(reply, reply.type === 'result' ? [reply.output.data.buffer as ArrayBuffer] : []),
      (error: unknown) =>
        scope.postMessage({
          type: 'error',
          code: error instanceof FairioError ? error.code : 'IO_ERROR',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  };
}
