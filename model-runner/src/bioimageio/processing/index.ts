/**
 * Pre- and post-processing as bioimageio.core computes it: tensors, whole-image
 * statistics and one op per processing kind. Runtime-agnostic (no Node
 * imports), shared by the Node CLI and the browser (onnxruntime-web).
 */
export * from './tensor.js';
export * from './stats.js';
export * from './ops.js';
export * from './pipeline.js';
