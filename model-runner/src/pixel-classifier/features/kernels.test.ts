import { describe, expect, it } from 'vitest';
import { gaussianDerivativeKernel, gaussianKernel } from './kernels.js';
import { convolveAxis, crop, field, reflectIndex } from './field.js';
import { symmetricEigenvalues2, symmetricEigenvalues3 } from './eigen.js';

describe('kernels (vigra sampling)', () => {
  it('samples a normalised Gaussian with radius trunc(window·σ + 0.5)', () => {
    // vigra.filters.gaussianKernel(1.0, 1.0, 2.0)
    const k = gaussianKernel(1, 2);
    expect(k.radius).toBe(2);
    const vigra = [0.054488684549642945, 0.24420134200323335, 0.40261994689424746, 0.24420134200323335, 0.054488684549642945];
    vigra.forEach((v, i) => expect(k.weights[i]).toBeCloseTo(v, 15));
    expect(gaussianKernel(10, 3.5).radius).toBe(35);
    expect(gaussianKernel(0.3, 2).radius).toBe(1);
    expect(gaussianKernel(1).radius).toBe(3); // vigra's default ratio 3
    expect([...gaussianKernel(0).weights]).toEqual([1]);
  });

  it('removes the DC of derivative kernels and normalises their moment', () => {
    // vigra.filters.gaussianDerivativeKernel(1.0, 1, 1.0, 2.0) and (1.0, 2, 1.0, 2.0)
    const first = gaussianDerivativeKernel(1, 1, 2);
    [0.11790104443903435, 0.2641979111219313, 0, -0.2641979111219313, -0.11790104443903435].forEach((v, i) => expect(first.weights[i]).toBeCloseTo(v, 14));
    expect(first.symmetry).toBe('odd');
    const second = gaussianDerivativeKernel(1, 2, 2);
    [0.24481271835494967, 0.020749126580201428, -0.5311236898703021, 0.020749126580201428, 0.24481271835494967].forEach((v, i) => expect(second.weights[i]).toBeCloseTo(v, 14));
    expect([...gaussianDerivativeKernel(0.3, 2, 2).weights].map((v) => Number(v.toFixed(12)))).toEqual([1, -2, 1]);
    expect(gaussianDerivativeKernel(1, 2).radius).toBe(4); // default ratio 3 + order/2
    expect(() => gaussianDerivativeKernel(0, 1)).toThrow(RangeError);
  });
});

describe('separable convolution with reflection at the border', () => {
  it('mirrors about the edge pixel without repeating it', () => {
    expect([-3, -2, -1, 0, 1, 4, 5, 6, 7].map((i) => reflectIndex(i, 5))).toEqual([3, 2, 1, 0, 1, 4, 3, 2, 1]);
    expect(reflectIndex(-7, 3)).toBe(1);
    expect(reflectIndex(5, 1)).toBe(0);
  });

  it('smooths an impulse at the edge as vigra does', () => {
    const line = new Float32Array(9);
    line[0] = 1;
    const out = convolveAxis(field(line, [1, 9]), 1, gaussianKernel(1, 2), 0, 9);
    // vigra.filters.gaussianSmoothing(impulse, 1.0, window_size=2.0)
    [0.40261996, 0.24420135, 0.05448868, 0].forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 7));
  });

  it('differentiates polynomials exactly and keeps only the requested range', () => {
    const [ny, nx] = [6, 20];
    const ramp = new Float32Array(ny * nx).map((_, i) => 3 * (i % nx) + 2 * Math.floor(i / nx));
    const dx = convolveAxis(field(ramp, [ny, nx]), 1, gaussianDerivativeKernel(1, 1, 2), 4, 16);
    expect(dx.shape).toEqual([6, 12]);
    expect(dx.origin).toEqual([0, 4]);
    for (const v of dx.data) expect(v).toBeCloseTo(3, 5);
    const dy = convolveAxis(field(ramp, [ny, nx]), 0, gaussianDerivativeKernel(0.7, 1, 2), 2, 4);
    for (const v of dy.data) expect(v).toBeCloseTo(2, 5);
    const square = new Float32Array(nx).map((_, x) => x * x);
    const dxx = convolveAxis(field(square, [1, nx]), 1, gaussianDerivativeKernel(1, 2, 2), 3, 17);
    for (const v of dxx.data) expect(v).toBeCloseTo(2, 4);
    expect(() => convolveAxis(field(square, [1, nx]), 1, gaussianKernel(1), 10, 30)).toThrow(RangeError);
    expect(crop(dx, [1, 5], [3, 7]).shape).toEqual([2, 2]);
  });
});

describe('symmetric eigenvalues, largest first', () => {
  it('2×2', () => {
    const e = new Float64Array(2);
    symmetricEigenvalues2(2, 1, 2, e);
    expect([...e]).toEqual([3, 1]);
    symmetricEigenvalues2(-1, 0, 4, e);
    expect([...e]).toEqual([4, -1]);
  });

  it('3×3, including nearly degenerate tensors with a large trace', () => {
    const e = new Float64Array(3);
    symmetricEigenvalues3(2, 0, 0, 3, 0, 1, e);
    expect([...e].map((v) => Number(v.toFixed(12)))).toEqual([3, 2, 1]);
    // [[4,1,0],[1,4,0],[0,0,7]]: 7, 5, 3
    symmetricEigenvalues3(4, 1, 0, 4, 0, 7, e);
    expect([...e].map((v) => Number(v.toFixed(12)))).toEqual([7, 5, 3]);
    // A rotated diag(700, 0.002, 0.001): the small eigenvalues survive the large trace.
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const [l0, l1, l2] = [700, 0.002, 0.001];
    // rotation about z: R diag R^T
    const a00 = c * c * l0 + s * s * l1;
    const a01 = c * s * (l0 - l1);
    const a11 = s * s * l0 + c * c * l1;
    symmetricEigenvalues3(a00, a01, 0, a11, 0, l2, e);
    expect(e[0]).toBeCloseTo(700, 9);
    expect(e[1]).toBeCloseTo(0.002, 7);
    expect(e[2]).toBeCloseTo(0.001, 7);
    symmetricEigenvalues3(5, 0, 0, 5, 0, 5, e);
    expect([...e]).toEqual([5, 5, 5]);
  });
});
