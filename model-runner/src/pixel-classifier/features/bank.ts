/**
 * ilastik's pixel feature bank: which features at which scales (the
 * selection matrix), how each is computed (pre-smoothing, then the filter),
 * the halo a block needs, which scales an image is too small for, and the
 * computation of every selected feature for one block, per channel.
 *
 * As in ilastik (lazyflow's OpPixelFeaturesPresmoothed):
 * - each scale σ first smooths the image with σ₀ = √(σ² − 1) when σ > 1, and
 *   with σ₀ = σ otherwise (window ratio 3.5); the filters then run on that
 *   pre-smoothed image at σ' = min(σ, 1) (window ratio 2), so a filter at
 *   σ > 1 equals the filter at σ on the raw image up to sampling;
 * - difference of Gaussians is G(σ') − G(0.66σ'); the structure tensor has
 *   inner scale σ' and outer scale 0.5σ';
 * - a block needs a halo of ceil(3.5 · max(0.7, σmax)) + ceil(3.5 · 0.7)
 *   pixels (pre-smoothing, then the filters' own reach);
 * - a scale is rejected when a filtered axis is shorter than ceil(3.5σ) + 1.
 */
// ngff's errors alone: the same FairioError, no Node built-ins (this module runs in web workers too) and cheap to load in each worker thread.
import { FairioError } from '@fairio/ngff/errors';
import { convolveAxis, field, type Field } from './field.js';
import { gaussianKernel } from './kernels.js';
import { componentCount, computeFilters, FEATURE_IDS, type FeatureId } from './filters.js';

export { FEATURE_IDS, type FeatureId } from './filters.js';

/** ilastik's scales. */
export const ILASTIK_SCALES = [0.3, 0.7, 1.0, 1.6, 3.5, 5.0, 10.0];
/** Window ratio of the pre-smoothing (and of ilastik's halo and scale checks). */
export const PRESMOOTH_WINDOW = 3.5;
/** Window ratio of the filters applied after pre-smoothing. */
export const FILTER_WINDOW = 2;
/** The smallest scale each feature is offered at (ilastik: smoothing from 0.3, the others from 0.7). */
export const MINIMUM_SCALE: Record<FeatureId, number> = {
  GaussianSmoothing: 0.3,
  LaplacianOfGaussian: 0.7,
  GaussianGradientMagnitude: 0.7,
  DifferenceOfGaussians: 0.7,
  StructureTensorEigenvalues: 0.7,
  HessianOfGaussianEigenvalues: 0.7,
};

export const FEATURE_NAMES: Record<FeatureId, string> = {
  GaussianSmoothing: 'Gaussian Smoothing',
  LaplacianOfGaussian: 'Laplacian of Gaussian',
  GaussianGradientMagnitude: 'Gaussian Gradient Magnitude',
  DifferenceOfGaussians: 'Difference of Gaussians',
  StructureTensorEigenvalues: 'Structure Tensor Eigenvalues',
  HessianOfGaussianEigenvalues: 'Hessian of Gaussian Eigenvalues',
};

const SHORT_NAMES: Record<string, FeatureId> = {
  gs: 'GaussianSmoothing',
  log: 'LaplacianOfGaussian',
  ggm: 'GaussianGradientMagnitude',
  dog: 'DifferenceOfGaussians',
  ste: 'StructureTensorEigenvalues',
  hoge: 'HessianOfGaussianEigenvalues',
};

/** Which features at which scales: `matrix[f][s]` for FEATURE_IDS[f] at scales[s] (ilastik's SelectionMatrix). */
export interface FeatureSelection {
  scales: number[];
  matrix: boolean[][];
  /** 3D images: filter each z plane in 2D (ilastik's "in 2D"); ignored for 2D images. */
  in2d?: boolean;
}

/** Every feature at every scale it is offered at. */
export function fullSelection(scales: number[] = ILASTIK_SCALES): FeatureSelection {
  return { scales: [...scales], matrix: FEATURE_IDS.map((id) => scales.map((s) => s >= MINIMUM_SCALE[id])) };
}

function invalid(message: string): FairioError {
  return new FairioError('INVALID_ARGUMENT', message);
}

/**
 * A selection from text: `all`, or a comma-separated list of features, each
 * a name (GaussianSmoothing or gs, log, ggm, dog, ste, hoge) meaning every
 * offered scale, or name@σ for one scale, e.g. `gs,ggm@1.6,hoge@3.5`.
 */
export function parseFeatureSelection(text: string, scales: number[] = ILASTIK_SCALES): FeatureSelection {
  checkScaleList(scales);
  const spec = text.trim();
  if (spec === '' || spec.toLowerCase() === 'all') return fullSelection(scales);
  const matrix = FEATURE_IDS.map(() => scales.map(() => false));
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, at] = item.split('@');
    const id = SHORT_NAMES[name.toLowerCase()] ?? FEATURE_IDS.find((f) => f.toLowerCase() === name.toLowerCase());
    if (!id) throw invalid(`unknown feature "${name}"; features are ${FEATURE_IDS.join(', ')} (or gs, log, ggm, dog, ste, hoge)`);
    const f = FEATURE_IDS.indexOf(id);
    if (at === undefined) {
      scales.forEach((s, j) => (matrix[f][j] ||= s >= MINIMUM_SCALE[id]));
      continue;
    }
    const sigma = Number(at);
    const j = scales.findIndex((s) => Math.abs(s - sigma) < 1e-9);
    if (j < 0) throw invalid(`feature "${item}": scale ${at} is not one of the scales ${scales.join(', ')}`);
    matrix[f][j] = true;
  }
  const selection = { scales: [...scales], matrix };
  checkSelection(selection);
  return selection;
}

function checkScaleList(scales: number[]): void {
  if (!Array.isArray(scales) || scales.length === 0 || scales.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw invalid(`scales must be a list of positive numbers, not ${JSON.stringify(scales)}`);
  }
}

/** Shape and offered scales of a selection; at least one feature. */
export function checkSelection(selection: FeatureSelection): void {
  checkScaleList(selection.scales);
  const { matrix, scales } = selection;
  if (!Array.isArray(matrix) || matrix.length !== FEATURE_IDS.length || matrix.some((row) => !Array.isArray(row) || row.length !== scales.length)) {
    throw invalid(`the feature selection must have ${FEATURE_IDS.length} rows (${FEATURE_IDS.join(', ')}) of ${scales.length} scales`);
  }
  FEATURE_IDS.forEach((id, f) =>
    scales.forEach((s, j) => {
      if (matrix[f][j] && s < MINIMUM_SCALE[id]) throw invalid(`${FEATURE_NAMES[id]} is offered from σ = ${MINIMUM_SCALE[id]}, not at σ = ${s} (ilastik computes only smoothing at σ = 0.3)`);
    }),
  );
  if (!matrix.some((row) => row.some(Boolean))) throw invalid('the feature selection is empty: select at least one feature');
}

/** Scales with at least one selected feature. */
export function selectedScales(selection: FeatureSelection): number[] {
  return selection.scales.filter((_, j) => selection.matrix.some((row) => row[j]));
}

/** Pre-smoothing σ₀ and filter σ' for scale σ. */
export function presmoothing(sigma: number): { presmooth: number; filter: number } {
  return sigma > 1 ? { presmooth: Math.sqrt(sigma * sigma - 1), filter: 1 } : { presmooth: sigma, filter: sigma };
}

/** ilastik's halo: enough for the pre-smoothing at the largest selected scale plus the filters at σ' ≤ 1. */
export function featureHalo(selection: FeatureSelection): number {
  const largest = Math.max(0.7, ...selectedScales(selection));
  return Math.ceil(PRESMOOTH_WINDOW * largest) + Math.ceil(PRESMOOTH_WINDOW * 0.7);
}

/** Number of spatial axes the filters run along (3D images filtered in 2D count 2). */
export function filteredDims(spatialDims: number, selection: FeatureSelection): number {
  return spatialDims === 3 && !selection.in2d ? 3 : 2;
}

/**
 * Refuse scales the image is too small for, as ilastik does: scale σ needs
 * every filtered axis to be at least ceil(3.5σ) + 1 pixels long.
 * `spatialShape` is [y, x] or [z, y, x], `axisNames` names them in messages.
 */
export function checkScalesFit(selection: FeatureSelection, spatialShape: number[], axisNames = spatialShape.length === 3 ? ['z', 'y', 'x'] : ['y', 'x']): void {
  const dims = filteredDims(spatialShape.length, selection);
  for (const sigma of selectedScales(selection)) {
    const needed = Math.ceil(sigma * PRESMOOTH_WINDOW) + 1;
    spatialShape.forEach((size, d) => {
      if (d < spatialShape.length - dims) return;
      if (size < needed) {
        const hint = axisNames[d] === 'z' ? '; filter each plane in 2D instead, or drop that scale' : '; drop that scale';
        throw invalid(`scale σ = ${sigma} rejected: the image is ${size} pixels along ${axisNames[d]}, and σ = ${sigma} needs at least ceil(3.5σ) + 1 = ${needed}${hint}`);
      }
    });
  }
}

export interface FeatureChannel {
  feature: FeatureId;
  scale: number;
  /** Input channel. */
  channel: number;
  /** Component (eigenvalue index, largest first). */
  component: number;
  name: string;
}

/** The output channels, in ilastik's order: feature, then scale, then input channel, then component. */
export function featureChannels(selection: FeatureSelection, inputChannels: number, spatialDims: number): FeatureChannel[] {
  const dims = filteredDims(spatialDims, selection);
  const out: FeatureChannel[] = [];
  FEATURE_IDS.forEach((feature, f) =>
    selection.scales.forEach((scale, j) => {
      if (!selection.matrix[f][j]) return;
      const components = componentCount(feature, dims);
      for (let channel = 0; channel < inputChannels; channel++) {
        for (let component = 0; component < components; component++) {
          const name = `${FEATURE_NAMES[feature]} (σ=${scale})${dims === 2 && spatialDims === 3 ? ' in 2D' : ''}${components > 1 ? ` [${component}]` : ''}${inputChannels > 1 ? ` channel ${channel}` : ''}`;
          out.push({ feature, scale, channel, component, name });
        }
      }
    }),
  );
  return out;
}

/** Separable Gaussian smoothing of a field over the region [lo, hi) (all axes). */
export function smoothField(source: Field, sigma: number, window: number, lo: number[], hi: number[]): Field {
  const kernel = gaussianKernel(sigma, window);
  let f = source;
  for (let d = source.shape.length - 1; d >= 0; d--) f = convolveAxis(f, d, kernel, lo[d], hi[d]);
  return f;
}

export interface FeatureBlock {
  /** One Float32Array per input channel, each of spatial shape `shape` (the block with its halo). */
  channels: Float32Array[];
  /** Spatial shape of the haloed block: [y, x] or [z, y, x]. */
  shape: number[];
  /** The region to compute, in the haloed block's coordinates. */
  lo: number[];
  hi: number[];
}

/**
 * Every selected feature of one block: a planar Float32Array with one plane
 * of the target region [lo, hi) per output channel, in `featureChannels` order.
 * The block must carry `featureHalo` pixels around the target (fewer only at
 * the image edge, where the block edge is the image edge).
 */
export function computeFeatureBlock(block: FeatureBlock, selection: FeatureSelection): Float32Array {
  const spatialDims = block.shape.length;
  const channels = featureChannels(selection, block.channels.length, spatialDims);
  const targetShape = block.lo.map((l, d) => block.hi[d] - l);
  const planeSize = targetShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(channels.length * planeSize);
  const slot = new Map(channels.map((c, i) => [`${c.feature}|${c.scale}|${c.channel}|${c.component}`, i]));

  if (spatialDims === 3 && selection.in2d) {
    // Each z plane of the target on its own, as a 2D image.
    const [, ny, nx] = block.shape;
    const planeOut = (block.hi[1] - block.lo[1]) * (block.hi[2] - block.lo[2]);
    for (let z = block.lo[0]; z < block.hi[0]; z++) {
      const plane = computeFeatureBlock(
        { channels: block.channels.map((c) => c.subarray(z * ny * nx, (z + 1) * ny * nx)), shape: [ny, nx], lo: block.lo.slice(1), hi: block.hi.slice(1) },
        { ...selection, in2d: false },
      );
      const zi = z - block.lo[0];
      for (let k = 0; k < channels.length; k++) out.set(plane.subarray(k * planeOut, (k + 1) * planeOut), k * planeSize + zi * planeOut);
    }
    return out;
  }

  const filterReach = Math.ceil(PRESMOOTH_WINDOW * 0.7);
  const smoothLo = block.lo.map((l) => Math.max(0, l - filterReach));
  const smoothHi = block.hi.map((h, d) => Math.min(block.shape[d], h + filterReach));
  block.channels.forEach((pixels, c) => {
    const image = field(pixels, block.shape);
    selection.scales.forEach((scale, j) => {
      const ids = FEATURE_IDS.filter((_, f) => selection.matrix[f][j]);
      if (ids.length === 0) return;
      const { presmooth, filter } = presmoothing(scale);
      const smoothed = smoothField(image, presmooth, PRESMOOTH_WINDOW, smoothLo, smoothHi);
      const features = computeFilters(smoothed, ids, filter, FILTER_WINDOW, block.lo, block.hi);
      for (const id of ids) {
        features[id].forEach((component, k) => out.set(component.data, slot.get(`${id}|${scale}|${c}|${k}`)! * planeSize));
      }
    });
  });
  return out;
}
