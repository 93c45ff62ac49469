/**
 * One-dimensional Gaussian and Gaussian-derivative kernels, sampled the way
 * vigra samples them (and so the way ilastik's features are defined):
 *
 * - radius = trunc(window · σ + 0.5), at least 1; window 0 means vigra's
 *   default (3 for the Gaussian, 3 + order/2 for derivatives);
 * - the Gaussian is normalised to sum 1;
 * - a derivative kernel has the mean of its samples removed (the "DC" that
 *   truncation introduces), then is scaled so that its `order`-th moment
 *   Σ k(i)·(−i)^order / order! is 1, so it differentiates a polynomial of that
 *   order exactly.
 *
 * Convolution convention: out[x] = Σ_i k(i) · in[x − i], i ∈ [−radius, radius].
 */

export interface Kernel1D {
  radius: number;
  /** k(i) at index i + radius. */
  weights: Float64Array;
  /** even: k(−i) = k(i); odd: k(−i) = −k(i) (lets convolution fold the two halves). */
  symmetry: 'even' | 'odd';
}

function radiusFor(sigma: number, windowRatio: number, defaultRatio: number): number {
  const r = Math.trunc((windowRatio > 0 ? windowRatio : defaultRatio) * sigma + 0.5);
  return Math.max(1, r);
}

/** A sampled Gaussian of standard deviation `sigma` (σ = 0: the identity). */
export function gaussianKernel(sigma: number, windowRatio = 0): Kernel1D {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`Gaussian σ must be a finite number ≥ 0, not ${sigma}`);
  if (sigma === 0) return { radius: 0, weights: Float64Array.of(1), symmetry: 'even' };
  const radius = radiusFor(sigma, windowRatio, 3);
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-i * i) / (2 * sigma * sigma));
    weights[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  return { radius, weights, symmetry: 'even' };
}

/** The `order`-th derivative of a Gaussian (order 0 is `gaussianKernel`). */
export function gaussianDerivativeKernel(sigma: number, order: 0 | 1 | 2, windowRatio = 0): Kernel1D {
  if (order === 0) return gaussianKernel(sigma, windowRatio);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`Gaussian derivative σ must be a finite number > 0, not ${sigma}`);
  const radius = radiusFor(sigma, windowRatio, 3 + 0.5 * order);
  const weights = new Float64Array(2 * radius + 1);
  const s2 = sigma * sigma;
  let dc = 0;
  for (let i = -radius; i <= radius; i++) {
    const g = Math.exp((-i * i) / (2 * s2));
    // Hermite polynomials times the Gaussian: g' = −x/σ² g, g'' = (x²/σ⁴ − 1/σ²) g.
    const v = order === 1 ? (-i / s2) * g : ((i * i) / (s2 * s2) - 1 / s2) * g;
    weights[i + radius] = v;
    dc += v;
  }
  dc /= weights.length;
  let moment = 0;
  for (let i = -radius; i <= radius; i++) {
    weights[i + radius] -= dc;
    moment += (weights[i + radius] * (-i) ** order) / (order === 2 ? 2 : 1);
  }
  for (let i = 0; i < weights.length; i++) weights[i] /= moment;
  return { radius, weights, symmetry: order === 1 ? 'odd' : 'even' };
}
