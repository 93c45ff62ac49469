/**
 * bioimage.io models for fairio, in bioimageio.core's layers: `spec/`
 * (parse, validate, load), `processing/` (pre/post-processing ops),
 * `onnx/` (ONNX Runtime sessions), `tiling/` (tiled prediction), `npy.ts`.
 *
 * ```ts
 * import { testModel, validateModel } from '@fairio/model-runner';
 * const report = await validateModel('unet2d_nuclei_broad/bioimageio.yaml');
 * const result = await testModel('unet2d_nuclei_broad.zip'); // result.passed
 * ```
 */
export { readNpy, writeNpy, readNpyHeader } from './npy.js';
export * from './processing/index.js';
export { readModelSpec, toleranceFor, type ModelSpec, type TensorSpec, type AxisSpec, type AxisSize, type ProcessingStep, type FileRef, type Tolerance } from './spec/model.js';
export type { Finding, Severity } from './spec/findings.js';
export { validateAgainstSchema, schemaFolder } from './spec/schema.js';
export { checkDescription, unsafePathReason, MAX_TENSOR_BYTES, type PackageFiles } from './spec/checks.js';
export { openModelPackage, cacheRoot, sha256File, type ModelPackage, type OpenOptions } from './spec/load.js';
export { extractZip, listZip, UnsafePackageError, type ZipLimits } from './spec/zip.js';
export { validatePackage, loadModel, InvalidModelError, type ModelValidation, type LoadedModel } from './spec/validate.js';
export { readOnnxSignature, encodeOnnxModel, type OnnxSignature, type OnnxModelInit } from './onnx/proto.js';
export { OnnxModel, type OrtApi, type SessionOptions } from './onnx/session.js';
export { openOnnxModel, onnxRuntimeVersion, onnxRuntimeSoftware, type Device } from './onnx/node.js';
export { planTiles, tiles, tilesMeeting, inputHalo, type TilePlan, type Tile } from './tiling/plan.js';
export { TiledPrediction, predictArrays, arrayAccess, inputStats, readPadded, type ModelRunner, type InputAccess } from './tiling/predict.js';
export { compareTensors, type Comparison } from './reproduce.js';
export { testModel, type ModelTestResult, type OutputTestResult } from './test-model.js';
export { packageModel, packageDemoModel, demoTestInput, readTestInput, type PackageOptions } from './package/package-model.js';
export { buildDemoNetwork, DEMO_HALO } from './package/demo-network.js';
export { predictNode, runPredict } from './predict-node.js';

import { openModelPackage, type OpenOptions } from './spec/load.js';
import { validatePackage, type ModelValidation, type ValidateOptions } from './spec/validate.js';

/** Open and validate a model package (folder, description, zip or URL). */
export async function validateModel(location: string, options: OpenOptions & ValidateOptions = {}): Promise<ModelValidation & { descriptionPath: string }> {
  const pkg = await openModelPackage(location, options);
  return { ...(await validatePackage(pkg, options)), descriptionPath: pkg.descriptionPath };
}
