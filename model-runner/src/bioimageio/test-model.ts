/**
 * `fairio model test`: the model's own reproducibility check, as
 * bioimageio.core runs it. The package is validated first (and refused when
 * invalid), the test inputs are pre-processed, run through the ONNX weights
 * in one piece (no padding, no tiling), post-processed, and each output is
 * compared with its test tensor under the description's tolerance
 * (default: absolute and relative 1e-3, at most 100 mismatched elements per
 * million; none for format 0.4, as bioimageio.core does).
 */
import * as fs from 'node:fs';
import { FairioError } from '@fairio/ngff';
import { readNpy } from './npy.js';
import { openOnnxModel, onnxRuntimeVersion, type Device } from './onnx/node.js';
import { compareTensors, type Comparison } from './reproduce.js';
import type { Finding } from './spec/findings.js';
import type { OpenOptions } from './spec/load.js';
import { toleranceFor, type TensorSpec, type Tolerance } from './spec/model.js';
import { loadModel } from './spec/validate.js';
import { predictArrays } from './tiling/predict.js';
import type { NdArray } from './processing/tensor.js';

export interface OutputTestResult extends Comparison {
  id: string;
  tolerance: Tolerance;
}

export interface ModelTestResult {
  passed: boolean;
  name: string;
  formatVersion: string;
  descriptionSha256: string;
  weightsSha256?: string;
  onnxRuntime: string;
  outputs: OutputTestResult[];
  findings: Finding[];
}

function checkTestTensorShape(tensor: TensorSpec, array: NdArray, field: string): void {
  if (array.shape.length !== tensor.axes.length) {
    throw new FairioError('INVALID_METADATA', `${field} has ${array.shape.length} dimensions but "${tensor.id}" declares ${tensor.axes.length} axes (${tensor.axes.map((a) => a.id).join(', ')})`);
  }
}

export interface TestOptions extends OpenOptions {
  device?: Device;
}

export async function testModel(location: string, options: TestOptions = {}): Promise<ModelTestResult> {
  const { package: pkg, model, findings } = await loadModel(location, options);
  if (!model.onnx) throw new FairioError('UNSUPPORTED', `has no ONNX weights (only ${model.weightsFormats.join(', ')}); fairio tests and runs ONNX weights`, { path: pkg.descriptionPath });
  const missing = [...model.inputs, ...model.outputs].filter((t) => !t.testTensor);
  if (missing.length) throw new FairioError('INVALID_METADATA', `has no test tensor for ${missing.map((t) => `"${t.id}"`).join(', ')}`, { path: pkg.descriptionPath });
  const read = async (t: TensorSpec) => {
    const ref = t.testTensor!;
    const file = await pkg.localPath(ref.source, ref.sha256);
    const array = readNpy(fs.readFileSync(file), { where: file });
    checkTestTensorShape(t, array, ref.field);
    return array;
  };
  const inputs = await Promise.all(model.inputs.map(read));
  const expected = await Promise.all(model.outputs.map(read));
  const weights = await pkg.localPath(model.onnx.source, model.onnx.sha256);
  const onnx = await openOnnxModel(weights, { device: options.device });
  let actual: NdArray[];
  try {
    actual = await predictArrays(model, onnx, inputs, { mode: 'direct' });
  } finally {
    await onnx.release();
  }
  const outputs = model.outputs.map((t, j) => {
    const tolerance = toleranceFor(model, t.id, 'onnx');
    return { id: t.id, tolerance, ...compareTensors(actual[j], expected[j], tolerance) };
  });
  return {
    passed: outputs.every((o) => o.passed),
    name: model.name,
    formatVersion: model.formatVersion,
    descriptionSha256: pkg.descriptionSha256,
    weightsSha256: model.onnx.sha256,
    onnxRuntime: onnxRuntimeVersion(),
    outputs,
    findings,
  };
}
