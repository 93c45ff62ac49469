/** Messages between `openOnnxWorker` and its worker thread (`ort.worker.ts`). */
import type { NdArray, TensorDtype } from '../processing/tensor.js';
import type { SessionOptions } from './session.js';

export type WorkerTask =
  | { kind: 'open'; model: string | Uint8Array; options: SessionOptions & { device?: 'cpu' | 'cuda' } }
  | { kind: 'run'; inputs: NdArray[] }
  | { kind: 'release' };

export type WorkerReply =
  | { kind: 'opened'; inputTypes: TensorDtype[]; inputShapes: (readonly (number | string)[] | undefined)[]; outputCount: number }
  /** `inputs`: the run's input buffers, handed back for reuse. */
  | { kind: 'outputs'; outputs: NdArray[]; inputs: NdArray['data'][] }
  | { kind: 'released' };
