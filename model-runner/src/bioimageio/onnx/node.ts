/**
 * ONNX Runtime for Node (onnxruntime-node, CPU binaries bundled; CUDA where
 * the installed build has it). The only module that imports the native
 * runtime, so the rest of the bioimage.io code stays runtime-agnostic.
 */
import * as ort from 'onnxruntime-node';
import type { SoftwareUsed } from '../../node.js';
import { OnnxModel, type OrtApi, type SessionOptions } from './session.js';

export type Device = 'cpu' | 'cuda';

export function providersFor(device: Device): string[] {
  return device === 'cuda' ? ['cuda'] : ['cpu'];
}

export function openOnnxModel(model: string | Uint8Array, options: SessionOptions & { device?: Device } = {}): Promise<OnnxModel> {
  return OnnxModel.create(ort as unknown as OrtApi, model, { ...options, executionProviders: options.executionProviders ?? providersFor(options.device ?? 'cpu') });
}

export function onnxRuntimeVersion(): string {
  return (ort.env as { versions?: { node?: string; common?: string } }).versions?.node ?? (ort.env as { versions?: { common?: string } }).versions?.common ?? 'unknown';
}

export function onnxRuntimeSoftware(): SoftwareUsed {
  return { name: 'ONNX Runtime (onnxruntime-node)', version: onnxRuntimeVersion(), url: 'https://onnxruntime.ai' };
}
