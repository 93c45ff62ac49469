/**
 * The worker side of a `WorkerPool`: a worker module calls `serveTasks` once
 * with the function that handles one task.
 *
 * ```ts
 * // square.worker.ts
 * import { serveTasks } from '../blocks/index.js';
 * serveTasks((xs: Float64Array, { transfer }) => {
 *   for (let i = 0; i < xs.length; i++) xs[i] *= xs[i];
 *   transfer(xs.buffer); // hand the result back without copying
 *   return xs;
 * });
 * ```
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { FairioError } from '../errors.js';
import { serializeError, type ReadyMessage, type ResultMessage, type TaskMessage } from './protocol.js';

export interface TaskContext {
  /** Objects of the result to move to the main thread rather than copy. */
  transfer(...objects: TransferListItem[]): void;
}

export type TaskHandler<In, Out> = (task: In, context: TaskContext) => Out | Promise<Out>;

/** Serve tasks from the pool on this worker thread: one at a time, in arrival order. */
export function serveTasks<In, Out>(handler: TaskHandler<In, Out>): void {
  const port = parentPort;
  if (!port) throw new FairioError('UNSUPPORTED', 'serveTasks must be called in a worker thread started by WorkerPool');
  port.on('message', async ({ id, task }: TaskMessage<In>) => {
    const transfer: TransferListItem[] = [];
    let reply: ResultMessage<Out>;
    try {
      const value = await handler(task, { transfer: (...objects) => void transfer.push(...objects) });
      reply = { id, ok: true, value };
    } catch (error) {
      reply = { id, ok: false, error: serializeError(error) };
      transfer.length = 0;
    }
    try {
      port.postMessage(reply, transfer);
    } catch (error) {
      // A result that cannot be cloned still has to settle the task.
      port.postMessage({ id, ok: false, error: serializeError(error) } satisfies ResultMessage<Out>);
    }
  });
  port.postMessage({ ready: true } satisfies ReadyMessage);
}
