/**
 * The classifier file's format (`.fairio-rf`), apart from reading and
 * writing files: the document a trained classifier is written as, and its
 * checked decoding. Pure computation (no Node built-ins), shared by the
 * command line (classifier-file.ts) and the browser (browser.ts).
 *
 * A versioned, self-describing JSON document holding everything needed to
 * apply a trained classifier in batch and to know where it came from — the
 * feature selection (ilastik's matrix of features × scales, the
 * pre-smoothing rule and windows), the input it expects (channels, 2D / 3D),
 * the classes (value, name, colour), the training data (checksums of the
 * image and labels, labelled pixels per class, seed, trees) and the forest
 * itself (flat little-endian arrays in base64, so thresholds survive
 * exactly). It holds no timestamp: the same labels, selection and seed give
 * the same file, byte for byte (when it ran is in the run's provenance record).
 */
import { FairioError } from '@fairio/ngff/errors';
import { FEATURE_IDS, FILTER_WINDOW, PRESMOOTH_WINDOW, checkSelection, featureChannels, type FeatureSelection } from './features/bank.js';
import type { PackedForest } from './forest/forest.js';

export const CLASSIFIER_FORMAT = 'fairio-pixel-classifier';
export const CLASSIFIER_VERSION = 1;

export interface ClassInfo {
  /** Label value in label images and segmentations (1..K). */
  value: number;
  name: string;
  /** '#rrggbb'. */
  color: string;
}

export interface FileChecksum {
  /** The path or URL as given when training (for people; the checksum identifies it). */
  path: string;
  /** '' when the input was a URL. */
  sha256: string;
}

export interface TrainingRecord {
  image: FileChecksum;
  labels: FileChecksum;
  /** sha256 of the training set itself (labelled positions, classes and feature values). */
  trainingSet: string;
  labelledPixels: number;
  /** Labelled pixels per class, in class order. */
  pixelsPerClass: number[];
  trees: number;
  seed: number;
  featuresPerSplit: number;
}

export interface PixelClassifier {
  selection: FeatureSelection;
  /** Channels and spatial dimensions of the images it was trained on (and applies to). */
  input: { channels: number; spatialDims: 2 | 3; axes: string[] };
  classes: ClassInfo[];
  training: TrainingRecord;
  forest: PackedForest;
  software: { name: string; version: string }[];
}

/** ilastik's default label colours (then a fixed palette). */
export const DEFAULT_COLORS = ['#ff0000', '#00ff00', '#ffff00', '#0000ff', '#ff00ff', '#808000', '#ffc0cb', '#00ffff', '#8b4513', '#ffa500', '#800080', '#008080'];

export function defaultClasses(count: number, names: string[] = [], colors: string[] = []): ClassInfo[] {
  return Array.from({ length: count }, (_, k) => ({
    value: k + 1,
    name: names[k] || `Label ${k + 1}`,
    color: colors[k] || DEFAULT_COLORS[k % DEFAULT_COLORS.length],
  }));
}

/**
 * Base64 without Node's Buffer (this module runs in browsers and web
 * workers too): the standard alphabet with padding, as Buffer writes it, so
 * a file written here is the same bytes as before; decoding refuses what is
 * not base64 instead of skipping it.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: 32 Ki at a time.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const toBase64 = (a: ArrayBufferView) => bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function fromBase64<T>(text: unknown, Ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, what: string, where: string): T {
  if (typeof text !== 'string') throw new FairioError('INVALID_METADATA', `forest.${what} is missing`, { path: where });
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(text);
  } catch (error) {
    throw new FairioError('INVALID_METADATA', `forest.${what} is not base64`, { path: where, cause: error });
  }
  if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new FairioError('INVALID_METADATA', `forest.${what} has a broken length`, { path: where });
  return new Ctor(bytes.buffer as ArrayBuffer);
}

/** The JSON document of a classifier. */
export function classifierDocument(classifier: PixelClassifier): Record<string, unknown> {
  const { forest, selection } = classifier;
  return {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    software: classifier.software,
    features: {
      ids: [...FEATURE_IDS],
      scales: selection.scales,
      matrix: selection.matrix,
      in2d: Boolean(selection.in2d),
      presmoothing: 'ilastik: sigma > 1 smoothed with sqrt(sigma^2 - 1), then the filter at min(sigma, 1)',
      windows: { presmoothing: PRESMOOTH_WINDOW, filters: FILTER_WINDOW },
      channels: featureChannels(selection, classifier.input.channels, classifier.input.spatialDims).map((c) => c.name),
    },
    input: classifier.input,
    classes: classifier.classes,
    training: classifier.training,
    forest: {
      trees: forest.roots.length,
      nodes: forest.feature.length,
      classCount: forest.classCount,
      featureCount: forest.featureCount,
      encoding: 'base64 little-endian: roots int32, feature int32 (-1 = leaf), threshold float64 (go left when value <= threshold), left/right int32, value float32 [node][class]',
      roots: toBase64(forest.roots),
      feature: toBase64(forest.feature),
      threshold: toBase64(forest.threshold),
      left: toBase64(forest.left),
      right: toBase64(forest.right),
      value: toBase64(forest.value),
    },
  };
}

/**
 * Check and decode a classifier document (the file's text); `where` names
 * the file in errors. Everything but reading the bytes and hashing them, so
 * the command line and the browser share it.
 */
export function parseClassifier(text: string, where: string): PixelClassifier {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new FairioError('INVALID_JSON', 'is not a fairio classifier (not JSON)', { path: where, cause: error });
  }
  const bad = (message: string) => new FairioError('INVALID_METADATA', message, { path: where });
  if (doc?.format !== CLASSIFIER_FORMAT) throw bad(`is not a fairio pixel classifier (format "${String(doc?.format)}")`);
  if (doc.version !== CLASSIFIER_VERSION) {
    throw new FairioError('UNSUPPORTED', `is a classifier file of version ${String(doc.version)}; this fairio reads version ${CLASSIFIER_VERSION}`, { path: where });
  }
  const features = doc.features as { scales: number[]; matrix: boolean[][]; in2d?: boolean; ids?: string[] };
  if (!features || JSON.stringify(features.ids) !== JSON.stringify(FEATURE_IDS)) throw bad('lists features this fairio does not know');
  const selection: FeatureSelection = { scales: features.scales, matrix: features.matrix, in2d: Boolean(features.in2d) };
  try {
    checkSelection(selection);
  } catch (error) {
    throw bad(`has an invalid feature selection: ${(error as Error).message}`);
  }
  const f = doc.forest as Record<string, unknown>;
  if (!f) throw bad('has no forest');
  const forest: PackedForest = {
    classCount: Number(f.classCount),
    featureCount: Number(f.featureCount),
    roots: fromBase64(f.roots, Int32Array, 'roots', where),
    feature: fromBase64(f.feature, Int32Array, 'feature', where),
    threshold: fromBase64(f.threshold, Float64Array, 'threshold', where),
    left: fromBase64(f.left, Int32Array, 'left', where),
    right: fromBase64(f.right, Int32Array, 'right', where),
    value: fromBase64(f.value, Float32Array, 'value', where),
  };
  const input = doc.input as PixelClassifier['input'];
  const classes = doc.classes as ClassInfo[];
  const nodes = forest.feature.length;
  const expectedFeatures = featureChannels(selection, input?.channels ?? 0, input?.spatialDims ?? 0).length;
  if (
    !input || !Number.isInteger(input.channels) || input.channels < 1 || (input.spatialDims !== 2 && input.spatialDims !== 3) ||
    !Array.isArray(classes) || classes.length !== forest.classCount || forest.classCount < 2 ||
    forest.featureCount !== expectedFeatures ||
    [forest.threshold, forest.left, forest.right].some((a) => a.length !== nodes) || forest.value.length !== nodes * forest.classCount ||
    forest.roots.some((r) => r < 0 || r >= nodes) ||
    forest.feature.some((v, i) => v >= forest.featureCount || (v >= 0 && (forest.left[i] < 0 || forest.left[i] + 1 >= nodes || forest.right[i] !== forest.left[i] + 1)))
  ) {
    throw bad('is damaged: its forest does not fit its description');
  }
  return {
    selection,
    input,
    classes,
    training: doc.training as TrainingRecord,
    forest,
    software: (doc.software as PixelClassifier['software']) ?? [],
  };
}
