/**
 * ilastik-style pixel classification: the feature bank (`features/`), the
 * random forest (`forest/`), block-wise application over OME-Zarr of any
 * size (`apply/`), the classifier file and the .ilp import.
 *
 * ```ts
 * import { nodes, runNode } from '@fairio/model-runner';
 * const train = nodes.find((n) => n.description.id === 'classify_train')!;
 * const { result } = await runNode(train, {
 *   inputs: { image: 'cells.ome.zarr', labels: 'cells.ome.zarr/labels/scribbles' },
 *   parameters: { trees: 100, seed: 1 }, outputs: { classifier: 'cells.fairio-rf' },
 * });
 * console.log(result.summary); // classifierSha256, labelledPixels, pixelsPerClass, …
 * ```
 *
 * @module
 */
export * from './features/bank.js';
export { gaussianKernel, gaussianDerivativeKernel, type Kernel1D } from './features/kernels.js';
export { trainForest, predictProbabilities, argmaxClasses, packForest, type PackedForest, type ForestOptions } from './forest/forest.js';
export { trainForestParallel, type ParallelOptions } from './forest/train-parallel.js';
export type { TrainingSet } from './forest/tree.js';
export { BlockRunner } from './apply/runner.js';
export { classifierSource, outputLayout, type OutputKind } from './apply/sources.js';
export { collectTrainingSet } from './apply/training.js';
export { readClassifier, writeClassifier, checksumPath, CLASSIFIER_FORMAT, CLASSIFIER_VERSION, type PixelClassifier, type ClassInfo } from './classifier-file.js';
export { openImageInput, type ImageInput } from './image-input.js';
export { readIlp, ilpLabels, type IlpProject } from './ilp.js';
export { classifyTrain, classifyPredict, classifyFeatures, pixelClassifierNodes } from './nodes.js';
