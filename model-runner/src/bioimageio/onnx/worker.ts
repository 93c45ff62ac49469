/**
 * An ONNX Runtime session on its own worker thread (Node only). onnxruntime-
 * node runs a model synchronously on the thread that calls `run`; here that
 * thread is a worker, so the main thread keeps reading and decoding input
 * chunks, pre- and post-processing tiles and handing output chunks to the
 * encoders while the model runs. Runs are queued and executed one at a time
 * in call order (one run already uses every intra-op thread). Tensors move
 * between the threads without copies: the caller's input buffers are
 * transferred (and unusable afterwards), outputs come back transferred.
 */
import { WorkerPool } from '@fairio/ngff';
import type { NdArray } from '../processing/tensor.js';
import type { Device } from './node.js';
import type { SessionOptions } from './session.js';
import type { WorkerReply, WorkerTask } from './worker-protocol.js';

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./ort.worker.${ext}`, import.meta.url);
}

export interface OnnxWorker {
  readonly inputCount: number;
  readonly outputCount: number;
  /**
   * Run once: inputs by position, outputs by position. The inputs' buffers
   * move to the worker and back: afterwards `inputs[i].data` is the same
   * memory again (a new view), for the caller to refill.
   */
  run(inputs: NdArray[]): Promise<NdArray[]>;
  release(): Promise<void>;
}

export async function openOnnxWorker(model: string | Uint8Array, options: SessionOptions & { device?: Device } = {}): Promise<OnnxWorker> {
  const pool = new WorkerPool<WorkerTask, WorkerReply>(workerUrl(), { size: 1, name: 'fairio-onnxruntime' });
  let opened: WorkerReply;
  try {
    opened = await pool.run({ kind: 'open', model, options });
  } catch (error) {
    await pool.close();
    throw error;
  }
  if (opened.kind !== 'opened') throw new Error(`unexpected reply ${opened.kind} from the ONNX Runtime worker`);
  return {
    inputCount: opened.inputTypes.length,
    outputCount: opened.outputCount,
    async run(inputs) {
      // Only buffers a tensor has to itself are moved; views into a larger buffer are copied.
      const moved = new Set<ArrayBuffer>();
      for (const t of inputs) if (t.data.buffer instanceof ArrayBuffer && t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength) moved.add(t.data.buffer);
      const reply = await pool.run({ kind: 'run', inputs }, [...moved]);
      if (reply.kind !== 'outputs') throw new Error(`unexpected reply ${reply.kind} from the ONNX Runtime worker`);
      reply.inputs.forEach((data, i) => (inputs[i].data = data));
      return reply.outputs;
    },
    async release() {
      try {
        await pool.run({ kind: 'release' });
      } finally {
        await pool.close();
      }
    },
  };
}
