/**
 * The small image ops that workflows need between a model and a table:
 * `threshold` (mask from a given value or Otsu's), `label` (connected
 * components) and `measure` (per-object table). Each works chunk by chunk
 * over OME-Zarr and reproduces scikit-image's definitions exactly.
 */
export { thresholdNode, thresholdImage, otsuThreshold, type ThresholdOptions, type ThresholdResult } from './threshold.js';
export { labelNode, labelImage, type LabelOptions, type LabelResult } from './label.js';
export { measureNode, measureRegions, measureColumns, type MeasureOptions, type MeasureResult } from './measure.js';
export { otsuFromHistogram, IntegerHistogram, BinnedHistogram } from './otsu.js';
export { labelBlock, ComponentForest } from './components.js';
