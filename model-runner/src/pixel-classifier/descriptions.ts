/**
 * What the pixel classifier's nodes are, as data: the descriptions of
 * `classify train`, `classify predict` and `classify features` that the
 * CLI, Galaxy tools and workflows are generated from, apart from the code
 * that does the work (nodes.ts, loaded on a node's first run).
 */
import type { NodeDescription, ParameterSpec } from '../node.js';
import { FEATURE_NAMES, ILASTIK_SCALES, featureChannels, fullSelection } from './features/bank.js';

const VERSION = '0.1.0';
const ILASTIK_CITATION = { doi: '10.1038/s41592-019-0582-9', text: 'Berg S. et al. (2019) ilastik: interactive machine learning for (bio)image analysis. Nature Methods 16, 1226–1232.' };
const RF_CITATION = { doi: '10.1023/A:1010933404324', text: 'Breiman L. (2001) Random Forests. Machine Learning 45, 5–32.' };
const EDAM = { operations: ['operation_3443', 'operation_3936'], topics: ['topic_3382'] };

const featureParameters: ParameterSpec[] = [
  {
    name: 'features',
    label: 'Features',
    type: 'text',
    optional: true,
    help: 'ilastik features: "all" (default, or the .ilp\'s selection), or a comma list of GaussianSmoothing/gs, LaplacianOfGaussian/log, GaussianGradientMagnitude/ggm, DifferenceOfGaussians/dog, StructureTensorEigenvalues/ste, HessianOfGaussianEigenvalues/hoge, each optionally @σ (e.g. gs,ggm@1.6)',
  },
  { name: 'scales', label: 'Scales (σ)', type: 'text', optional: true, help: `Comma-separated scales σ (default ilastik's ${ILASTIK_SCALES.join(', ')})`, pattern: '[0-9.]+(\\s*,\\s*[0-9.]+)*' },
  { name: 'in2d', label: 'Filter 3D images plane by plane', type: 'boolean', optional: true, help: 'For z-stacks: compute the features of each plane in 2D (ilastik\'s "in 2D"), e.g. for strongly anisotropic stacks' },
];

export const classifyTrainDescription: NodeDescription = {
  id: 'classify_train',
  command: ['classify', 'train'],
  name: 'Train a pixel classifier',
  version: VERSION,
  summary: 'Train an ilastik-style pixel classifier (filter features + random forest) from sparse labels',
  help:
    'Computes ilastik\'s pixel features (Gaussian smoothing, Laplacian of Gaussian, gradient magnitude, difference of Gaussians, structure tensor and Hessian eigenvalues at several scales) where pixels are labelled, and trains a random forest on them. Labels: 0 = unlabelled, 1, 2, … = classes (at least two). Labels come from an OME-Zarr label image, a TIFF, or an ilastik project (.ilp, whose feature selection and class names are used too).\n\nExample: fairio classify train --image cells.ome.zarr --labels cells.ome.zarr/labels/scribbles -o cells.fairio-rf',
  inputs: [
    { name: 'image', label: 'Image', help: 'The image the labels were drawn on', formats: ['ome-zarr', 'tiff'] },
    { name: 'labels', label: 'Labels', help: 'Sparse labels (0 = unlabelled, 1..K = classes): OME-Zarr label image, TIFF, or an ilastik .ilp project', formats: ['ome-zarr', 'tiff', 'ilastik-project'] },
  ],
  parameters: [
    ...featureParameters,
    { name: 'trees', label: 'Trees', type: 'integer', default: 100, min: 1, max: 10000, help: 'Number of trees in the random forest' },
    { name: 'seed', label: 'Random seed', type: 'integer', default: 0, min: 0, max: 2 ** 31 - 1, help: 'Seed of the random forest: the same seed and labels give the same classifier' },
    { name: 'classNames', label: 'Class names', type: 'text', optional: true, help: 'Comma-separated names of classes 1, 2, … (default: from the .ilp, else "Label 1", …)' },
  ],
  outputs: [{ name: 'classifier', label: 'Classifier', help: 'The trained classifier (.fairio-rf)', formats: ['fairio-classifier'], short: 'o' }],
  citations: [ILASTIK_CITATION, RF_CITATION],
  edam: EDAM,
};

export const classifyPredictDescription: NodeDescription = {
  id: 'classify_predict',
  command: ['classify', 'predict'],
  name: 'Apply a pixel classifier',
  version: VERSION,
  summary: 'Apply a trained pixel classifier to an image of any size: class probabilities and / or a segmentation (OME-Zarr)',
  help:
    'Computes the classifier\'s features block by block (with the halo the filters need) and predicts every pixel with its random forest, on all cores, holding only a few blocks in memory. --segmentation (default) writes a label image (class 1..K of each pixel); --probabilities writes one channel per class; with both, the segmentation goes into the output\'s labels/segmentation.\n\nExample: fairio classify predict --classifier cells.fairio-rf big.ome.zarr big-seg.ome.zarr',
  inputs: [
    { name: 'classifier', label: 'Classifier', help: 'A classifier trained with classify train (.fairio-rf)', formats: ['fairio-classifier'] },
    { name: 'image', label: 'Image', help: 'The image to classify (same channels and dimensions as the training image)', formats: ['ome-zarr', 'tiff'], positional: true },
  ],
  parameters: [
    { name: 'probabilities', label: 'Write probabilities', type: 'boolean', default: false, help: 'Write class probabilities (one float32 channel per class)' },
    { name: 'segmentation', label: 'Write the segmentation', type: 'boolean', default: true, help: 'Write the segmentation, the most probable class of each pixel as a label image (default; --no-segmentation skips it)' },
    { name: 'ngff', label: 'OME-NGFF version', type: 'choice', default: '0.5', options: [{ value: '0.5', label: 'OME-NGFF 0.5 (Zarr v3)' }, { value: '0.4', label: 'OME-NGFF 0.4 (Zarr v2)' }], help: 'OME-NGFF version of the output' },
  ],
  outputs: [{ name: 'output', label: 'Result', help: 'Probabilities or segmentation (OME-Zarr)', formats: ['ome-zarr'], positional: true }],
  citations: [ILASTIK_CITATION, RF_CITATION],
  edam: EDAM,
};

export const classifyFeaturesDescription: NodeDescription = {
  id: 'classify_features',
  command: ['classify', 'features'],
  name: 'Export pixel features',
  version: VERSION,
  summary: "Compute ilastik's pixel features of an image, one channel per feature (OME-Zarr), like ilastik's feature export",
  help: `Computes the selected features (default: all ${featureChannels(fullSelection(), 1, 2).length} of ilastik's 2D bank, ${featureChannels(fullSelection(), 1, 3).length} in 3D, per input channel) block by block and writes them as a float32 OME-Zarr image whose channels are named like ilastik's (e.g. "${FEATURE_NAMES.GaussianSmoothing} (σ=1.6)").\n\nExample: fairio classify features cells.ome.zarr cells-features.ome.zarr --features gs,hoge`,
  inputs: [{ name: 'image', label: 'Image', help: 'The image', formats: ['ome-zarr', 'tiff'], positional: true }],
  parameters: [
    ...featureParameters,
    { name: 'ngff', label: 'OME-NGFF version', type: 'choice', default: '0.5', options: [{ value: '0.5', label: 'OME-NGFF 0.5 (Zarr v3)' }, { value: '0.4', label: 'OME-NGFF 0.4 (Zarr v2)' }], help: 'OME-NGFF version of the output' },
  ],
  outputs: [{ name: 'output', label: 'Features', help: 'One float32 channel per feature (OME-Zarr)', formats: ['ome-zarr'], positional: true }],
  citations: [ILASTIK_CITATION],
  edam: { operations: ['operation_3443'], topics: ['topic_3382'] },
};

