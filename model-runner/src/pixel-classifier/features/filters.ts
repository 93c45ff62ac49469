/**
 * The six filters of ilastik's feature bank on one channel (2D or 3D), each
 * defined as vigra defines it: Gaussian smoothing, Laplacian of Gaussian,
 * Gaussian gradient magnitude, difference of Gaussians, structure-tensor
 * eigenvalues and Hessian-of-Gaussian eigenvalues. Every derivative is a
 * separable product of 1D kernels (derivative along one or two axes,
 * Gaussian along the others); `Derivatives` computes each product once per
 * scale and shares the partial products between features.
 *
 * Each filter writes only the target region [lo, hi) of the block; its input
 * field must reach `filterHalo` pixels beyond it (or the image edge).
 */
import { gaussianDerivativeKernel, gaussianKernel, type Kernel1D } from './kernels.js';
import { convolveAxis, crop, fieldSize, type Field } from './field.js';
import { symmetricEigenvalues2, symmetricEigenvalues3 } from './eigen.js';

export const FEATURE_IDS = [
  'GaussianSmoothing',
  'LaplacianOfGaussian',
  'GaussianGradientMagnitude',
  'DifferenceOfGaussians',
  'StructureTensorEigenvalues',
  'HessianOfGaussianEigenvalues',
] as const;
export type FeatureId = (typeof FEATURE_IDS)[number];

/** Output channels of a feature for one input channel. */
export function componentCount(id: FeatureId, spatialDims: number): number {
  return id === 'StructureTensorEigenvalues' || id === 'HessianOfGaussianEigenvalues' ? spatialDims : 1;
}

/** Kernel radius the filter needs beyond the target region at scale σ with window ratio `window`. */
export function filterHalo(id: FeatureId, sigma: number, window: number): number {
  const r = (s: number) => gaussianKernel(s, window).radius;
  switch (id) {
    case 'StructureTensorEigenvalues':
      return r(sigma) + r(0.5 * sigma);
    case 'DifferenceOfGaussians':
    case 'GaussianSmoothing':
      return r(sigma);
    default:
      return Math.max(r(sigma), gaussianDerivativeKernel(sigma, 2, window).radius);
  }
}

/**
 * Separable Gaussian derivatives of one field at one scale, restricted to the
 * region [lo, hi), with partial products (the passes along the last axes)
 * cached so that e.g. ∂x and ∂x∂y share their x pass.
 */
export class Derivatives {
  readonly #kernels: Kernel1D[];
  readonly #cache = new Map<string, Field>();

  constructor(
    readonly source: Field,
    readonly sigma: number,
    readonly window: number,
    readonly lo: number[],
    readonly hi: number[],
  ) {
    this.#kernels = [0, 1, 2].map((order) => gaussianDerivativeKernel(sigma, order as 0 | 1 | 2, window));
  }

  /** ∂^orders G_σ * source over [lo, hi); `orders` has one entry (0, 1 or 2) per axis. */
  get(orders: number[]): Field {
    const n = orders.length;
    let result = this.source;
    // Last axis first (the contiguous one), then towards axis 0.
    for (let d = n - 1; d >= 0; d--) {
      const key = orders.slice(d).join(',');
      let next = this.#cache.get(key);
      if (!next) {
        next = convolveAxis(result, d, this.#kernels[orders[d]], this.lo[d], this.hi[d]);
        this.#cache.set(key, next);
      }
      result = next;
    }
    return result;
  }
}

const unit = (n: number, d: number, order: number) => Array.from({ length: n }, (_, i) => (i === d ? order : 0));

const like = (f: Field, data: Float32Array): Field => ({ data, shape: [...f.shape], origin: [...f.origin] });

/** Pixel-wise a − b. */
function difference(a: Field, b: Field): Field {
  const out = new Float32Array(a.data.length);
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < out.length; i++) out[i] = x[i] - y[i];
  return like(a, out);
}

/** Pixel-wise a · b. */
function product(a: Field, b: Field): Field {
  const out = new Float32Array(a.data.length);
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < out.length; i++) out[i] = x[i] * y[i];
  return like(a, out);
}

/** Pixel-wise sum of the fields (accumulated in double precision). */
function sum(fields: Field[]): Field {
  const out = new Float32Array(fields[0].data.length);
  const acc = new Float64Array(out.length);
  for (const f of fields) for (let i = 0; i < acc.length; i++) acc[i] += f.data[i];
  out.set(acc);
  return like(fields[0], out);
}

/** Pixel-wise Euclidean norm of the fields. */
function magnitude(fields: Field[]): Field {
  const acc = new Float64Array(fields[0].data.length);
  for (const f of fields) {
    const d = f.data;
    for (let i = 0; i < acc.length; i++) acc[i] += d[i] * d[i];
  }
  const out = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = Math.sqrt(acc[i]);
  return like(fields[0], out);
}

function eigenvalues(components: Field[], spatialDims: number): Field[] {
  const size = fieldSize(components[0].shape);
  const outs = Array.from({ length: spatialDims }, () => new Float32Array(size));
  const e = new Float64Array(3);
  const c = components.map((f) => f.data);
  if (spatialDims === 2) {
    // Components arrive as (yy, yx, xx); vigra orders axes x, y.
    const [yy, yx, xx] = c;
    for (let i = 0; i < size; i++) {
      symmetricEigenvalues2(xx[i], yx[i], yy[i], e);
      outs[0][i] = e[0];
      outs[1][i] = e[1];
    }
  } else {
    // Components arrive as (zz, zy, zx, yy, yx, xx); vigra orders axes x, y, z.
    const [zz, zy, zx, yy, yx, xx] = c;
    for (let i = 0; i < size; i++) {
      symmetricEigenvalues3(xx[i], yx[i], zx[i], yy[i], zy[i], zz[i], e);
      outs[0][i] = e[0];
      outs[1][i] = e[1];
      outs[2][i] = e[2];
    }
  }
  return outs.map((data) => like(components[0], data));
}

/** Upper-triangle index pairs (i ≤ j) in row order: 2D (0,0),(0,1),(1,1); 3D (0,0),(0,1),(0,2),(1,1),(1,2),(2,2). */
function upperPairs(n: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) pairs.push([i, j]);
  return pairs;
}

export interface ScaleFeatures {
  /** Per feature, its components over [lo, hi). */
  [id: string]: Field[];
}

/**
 * The requested features of one (already pre-smoothed) field at scale σ and
 * window ratio `window`, over the target region [lo, hi).
 */
export function computeFilters(source: Field, ids: readonly FeatureId[], sigma: number, window: number, lo: number[], hi: number[]): ScaleFeatures {
  const n = source.shape.length;
  const out: ScaleFeatures = {};
  const wants = (id: FeatureId) => ids.includes(id);
  const fieldLo = source.origin;
  const fieldHi = source.origin.map((o, d) => o + source.shape[d]);
  // The structure tensor smooths the gradient again: its gradient must reach one outer radius further.
  const outer = wants('StructureTensorEigenvalues') ? gaussianKernel(0.5 * sigma, window).radius : 0;
  const wideLo = lo.map((l, d) => Math.max(fieldLo[d], l - outer));
  const wideHi = hi.map((h, d) => Math.min(fieldHi[d], h + outer));
  const derivatives = new Derivatives(source, sigma, window, wideLo, wideHi);
  const target = (f: Field) => crop(f, lo, hi);

  if (wants('GaussianSmoothing') || wants('DifferenceOfGaussians')) {
    const smooth = target(derivatives.get(unit(n, 0, 0)));
    if (wants('GaussianSmoothing')) out.GaussianSmoothing = [smooth];
    if (wants('DifferenceOfGaussians')) {
      const narrow = new Derivatives(source, 0.66 * sigma, window, lo, hi).get(unit(n, 0, 0));
      out.DifferenceOfGaussians = [difference(smooth, narrow)];
    }
  }
  if (wants('LaplacianOfGaussian')) {
    out.LaplacianOfGaussian = [sum(Array.from({ length: n }, (_, d) => target(derivatives.get(unit(n, d, 2)))))];
  }
  if (wants('GaussianGradientMagnitude') || wants('StructureTensorEigenvalues')) {
    const gradient = Array.from({ length: n }, (_, d) => derivatives.get(unit(n, d, 1)));
    if (wants('GaussianGradientMagnitude')) {
      out.GaussianGradientMagnitude = [magnitude(gradient.map(target))];
    }
    if (wants('StructureTensorEigenvalues')) {
      const outerKernel = gaussianKernel(0.5 * sigma, window);
      const tensor = upperPairs(n).map(([i, j]) => {
        let t = product(gradient[i], gradient[j]);
        for (let d = n - 1; d >= 0; d--) t = convolveAxis(t, d, outerKernel, lo[d], hi[d]);
        return t;
      });
      out.StructureTensorEigenvalues = eigenvalues(tensor, n);
    }
  }
  if (wants('HessianOfGaussianEigenvalues')) {
    const hessian = upperPairs(n).map(([i, j]) => {
      const orders = unit(n, i, i === j ? 2 : 1);
      if (i !== j) orders[j] = 1;
      return target(derivatives.get(orders));
    });
    out.HessianOfGaussianEigenvalues = eigenvalues(hessian, n);
  }
  return out;
}
