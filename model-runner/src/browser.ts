/**
 * @fairio/model-runner/browser: the analysis code that runs in a web page or
 * a web worker (no Node built-ins; bundle-tested), the same modules the
 * command line runs: the pixel classifier's apply path; bioimage.io
 * descriptions (0.4 and 0.5) read and checked with every file's sha256,
 * pre/post-processing, tiling, and an ONNX session over any runtime with
 * onnxruntime-common's API (onnxruntime-web in a browser).
 *
 * ```ts
 * import * as ort from 'onnxruntime-web/wasm';
 * import { OnnxModel, openBrowserModel, predictArrays, zipSource } from '@fairio/model-runner/browser';
 * const { model, weights } = await openBrowserModel(await zipSource('model.zip', zipBytes));
 * const session = await OnnxModel.create(ort, weights, { executionProviders: ['wasm'] });
 * const [prediction] = await predictArrays(model, session, [input], { tile: 256 });
 * ```
 *
 * @module
 */
export * from './pixel-classifier/browser.js';
export { readNpy, writeNpy, readNpyHeader } from './bioimageio/npy.js';
export * from './bioimageio/processing/index.js';
export { readModelSpec, toleranceFor, type ModelSpec, type TensorSpec, type AxisSpec, type AxisSize, type ProcessingStep, type FileRef, type Tolerance } from './bioimageio/spec/model.js';
export type { Finding, Severity } from './bioimageio/spec/findings.js';
export { checkDescription, describeSize, unsafePathReason, type PackageFiles } from './bioimageio/spec/checks.js';
export { checkModelDocument, InvalidModelError, type PackageCheckOptions } from './bioimageio/spec/check-package.js';
export { DESCRIPTION_NAMES, parseDescription, pickDescription } from './bioimageio/spec/description.js';
export { openBrowserModel, zipSource, sha256Hex, type PackageSource, type BrowserModel, type ZipSourceLimits } from './bioimageio/browser-package.js';
export { readOnnxSignature, type OnnxSignature } from './bioimageio/onnx/proto.js';
export { OnnxModel, type OrtApi, type SessionOptions } from './bioimageio/onnx/session.js';
export { planTiles, tiles, tilesMeeting, inputHalo, type TilePlan, type Tile } from './bioimageio/tiling/plan.js';
export { TiledPrediction, predictArrays, arrayAccess, inputStats, readPadded, type ModelRunner, type InputAccess } from './bioimageio/tiling/predict.js';
export { layoutFor, sampleAccess, sampleAt, regionAccess, parseChannels, type SampleLayout } from './bioimageio/image-sample.js';
export { compareTensors, type Comparison } from './bioimageio/reproduce.js';
