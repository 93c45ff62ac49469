/**
 * ONNX Runtime for Node (onnxruntime-node, CPU binaries bundled; CUDA where
 * the installed build has it). The only module that imports the native
 * runtime, so the rest of the bioimage.io code stays runtime-agnostic.
 */
import { createRequire } from 'node:module';
import type { SoftwareUsed } from '../../node.js';
import { OnnxModel, type OrtApi, type SessionOptions } from './session.js';

export type Device = 'cpu' | 'cuda';

const require = createRequire(import.meta.url);
let runtime: OrtApi | undefined;

/**
 * onnxruntime-node, loaded on first use and through `require`: its native
 * binding and the ESM wrapper around its CommonJS files cost every `fairio`
 * command tens of CPU milliseconds, and only the ones that run a model need it.
 */
function ort(): OrtApi {
  return (runtime ??= require('onnxruntime-node') as OrtApi);
}

export function providersFor(device: Device): string[] {
  return device === 'cuda' ? ['cuda'] : ['cpu'];
}

export function openOnnxModel(model: string | Uint8Array, options: SessionOptions & { device?: Device } = {}): Promise<OnnxModel> {
  return OnnxModel.create(ort(), model, { ...options, executionProviders: options.executionProviders ?? providersFor(options.device ?? 'cpu') });
}

/** The installed onnxruntime-node's version, without loading the runtime (what `ort.env.versions.node` reports). */
export function onnxRuntimeVersion(): string {
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}

export function onnxRuntimeSoftware(): SoftwareUsed {
  return { name: 'ONNX Runtime (onnxruntime-node)', version: onnxRuntimeVersion(), url: 'https://onnxruntime.ai' };
}
