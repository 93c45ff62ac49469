/**
 * An ONNX Runtime session behind a small interface that both
 * onnxruntime-node and onnxruntime-web satisfy, so the same prediction code
 * runs in Node and in the browser. Tensors are matched to the graph's inputs
 * and outputs by position, as bioimageio.core does, never by name; inputs are
 * cast to the element type the graph declares.
 */
import { FairioError } from '@fairio/ngff/errors'; // narrow and browser-safe: the ONNX Runtime worker thread loads this module
import { castData, type NdArray, type TensorDtype, type TypedArray } from '../processing/tensor.js';

/** The part of `onnxruntime-common`'s API fairio uses (node and web builds both have it). */
export interface OrtApi {
  InferenceSession: {
    create(model: string | Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
  Tensor: new (type: string, data: TypedArray, dims: readonly number[]) => OrtTensor;
  env: { versions?: Record<string, string> };
}

export interface OrtTensor {
  type: string;
  data: unknown;
  dims: readonly number[];
  dispose?(): void;
}

export interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata?: readonly { name: string; isTensor?: boolean; type?: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

const ORT_TYPES = new Set<TensorDtype>(['bool', 'uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'uint64', 'int64', 'float32', 'float64']);

export interface SessionOptions {
  /** Execution providers in order of preference, e.g. ['cpu'] (default) or ['cuda']. */
  executionProviders?: string[];
  /** Threads for one operator (0 = ONNX Runtime's default). */
  intraOpThreads?: number;
  /**
   * Whether idle intra-op threads spin waiting for work (ONNX Runtime's
   * default) or sleep; sleeping leaves the cores to other threads of the
   * process between and inside runs.
   */
  spinning?: boolean;
}

export class OnnxModel {
  private constructor(
    private readonly ort: OrtApi,
    private readonly session: OrtSession,
    /** Element type of each graph input, by position. */
    readonly inputTypes: TensorDtype[],
  ) {}

  static async create(ort: OrtApi, model: string | Uint8Array, options: SessionOptions = {}): Promise<OnnxModel> {
    let session: OrtSession;
    const providers = options.executionProviders ?? ['cpu'];
    try {
      session = await ort.InferenceSession.create(model, {
        executionProviders: providers,
        graphOptimizationLevel: 'all',
        ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
        ...(options.spinning === undefined ? {} : { extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } } }),
      });
    } catch (e) {
      const message = (e as Error).message;
      if (providers.some((p) => p !== 'cpu' && p !== 'wasm') && /provider|cuda|not (?:supported|available)|EP/i.test(message)) {
        throw new FairioError('UNSUPPORTED', `ONNX Runtime cannot use execution provider ${providers.join(', ')} here (${message.split('\n')[0]}); use --device cpu`);
      }
      throw new FairioError('INVALID_ARGUMENT', `ONNX Runtime cannot load the model: ${message.split('\n')[0]}`, { path: typeof model === 'string' ? model : undefined });
    }
    const meta = session.inputMetadata ?? [];
    const inputTypes = session.inputNames.map((_, i) => {
      const t = meta[i]?.type as TensorDtype | undefined;
      return t && ORT_TYPES.has(t) ? t : 'float32';
    });
    return new OnnxModel(ort, session, inputTypes);
  }

  get inputCount(): number {
    return this.session.inputNames.length;
  }
  get outputCount(): number {
    return this.session.outputNames.length;
  }
  /** Static or symbolic dims of the graph inputs, when the runtime reports them. */
  get inputShapes(): (readonly (number | string)[] | undefined)[] {
    return this.session.inputNames.map((_, i) => this.session.inputMetadata?.[i]?.shape);
  }

  /** Run once: inputs by position, outputs by position. */
  async run(inputs: NdArray[]): Promise<NdArray[]> {
    if (inputs.length !== this.inputCount) throw new FairioError('INVALID_ARGUMENT', `the model takes ${this.inputCount} inputs, not ${inputs.length}`);
    const feeds: Record<string, OrtTensor> = {};
    inputs.forEach((input, i) => {
      const type = this.inputTypes[i];
      const data = input.dtype === type ? input.data : castData(input.data, type);
      feeds[this.session.inputNames[i]] = new this.ort.Tensor(type, data, input.shape);
    });
    let results: Record<string, OrtTensor>;
    try {
      results = await this.session.run(feeds);
    } catch (e) {
      throw new FairioError('INVALID_ARGUMENT', `ONNX Runtime failed to run the model on inputs of shape ${inputs.map((t) => `[${t.shape.join(', ')}]`).join(', ')}: ${(e as Error).message.split('\n')[0]}`);
    }
    const outputs = this.session.outputNames.map((name) => {
      const t = results[name];
      const dtype = (ORT_TYPES.has(t.type as TensorDtype) ? t.type : 'float32') as TensorDtype;
      return { data: t.data as TypedArray, shape: [...t.dims], dtype };
    });
    for (const t of Object.values(feeds)) t.dispose?.();
    return outputs;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
