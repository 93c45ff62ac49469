import { describe, expect, it } from 'vitest';
import { FairioError } from '@fairio/ngff';
import {
  checkScalesFit, computeFeatureBlock, featureChannels, featureHalo, fullSelection, ILASTIK_SCALES, parseFeatureSelection, presmoothing,
} from './bank.js';

function noise(shape: number[], seed = 1): Float32Array {
  let s = seed;
  return new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => {
    s = (s * 16807) % 2147483647;
    return (s % 1000) / 4;
  });
}

describe('the feature selection', () => {
  it('offers every feature at every ilastik scale, smoothing alone at 0.3', () => {
    const all = fullSelection();
    expect(all.scales).toEqual(ILASTIK_SCALES);
    expect(featureChannels(all, 1, 2)).toHaveLength(7 + 6 + 6 + 6 + 12 + 12);
    expect(featureChannels(all, 1, 3)).toHaveLength(7 + 6 + 6 + 6 + 18 + 18);
    expect(featureChannels(all, 2, 2)).toHaveLength(2 * 49);
  });

  it('names and orders channels as ilastik: feature, scale, input channel, component', () => {
    const selection = parseFeatureSelection('hoge@1.6,gs@0.3');
    expect(featureChannels(selection, 2, 2).map((c) => c.name)).toEqual([
      'Gaussian Smoothing (σ=0.3) channel 0',
      'Gaussian Smoothing (σ=0.3) channel 1',
      'Hessian of Gaussian Eigenvalues (σ=1.6) [0] channel 0',
      'Hessian of Gaussian Eigenvalues (σ=1.6) [1] channel 0',
      'Hessian of Gaussian Eigenvalues (σ=1.6) [0] channel 1',
      'Hessian of Gaussian Eigenvalues (σ=1.6) [1] channel 1',
    ]);
    expect(featureChannels({ ...selection, in2d: true }, 1, 3)[0].name).toBe('Gaussian Smoothing (σ=0.3) in 2D');
  });

  it('parses names, short names and scales, and refuses what ilastik does not offer', () => {
    expect(parseFeatureSelection('all')).toEqual(fullSelection());
    const s = parseFeatureSelection('GaussianSmoothing, ggm@3.5', [0.3, 1, 3.5]);
    expect(s.matrix[0]).toEqual([true, true, true]);
    expect(s.matrix[2]).toEqual([false, false, true]);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as FairioError).code;
      }
      return 'no error';
    };
    expect(code(() => parseFeatureSelection('sobel'))).toBe('INVALID_ARGUMENT');
    expect(code(() => parseFeatureSelection('gs@2'))).toBe('INVALID_ARGUMENT');
    expect(() => parseFeatureSelection('log@0.3')).toThrow(/offered from σ = 0.7/);
    expect(() => parseFeatureSelection('gs', [0, 1])).toThrow(/positive numbers/);
  });

  it('pre-smooths with √(σ² − 1) above 1 and uses the halo and size rules of ilastik', () => {
    expect(presmoothing(3.5)).toEqual({ presmooth: Math.sqrt(3.5 ** 2 - 1), filter: 1 });
    expect(presmoothing(0.7)).toEqual({ presmooth: 0.7, filter: 0.7 });
    expect(featureHalo(fullSelection())).toBe(35 + 3);
    expect(featureHalo(parseFeatureSelection('gs@0.3'))).toBe(3 + 3);
    // ceil(3.5 · 10) + 1 = 36
    expect(() => checkScalesFit(fullSelection(), [36, 36])).not.toThrow();
    expect(() => checkScalesFit(fullSelection(), [35, 400])).toThrow(/scale σ = 10 rejected: the image is 35 pixels along y/);
    expect(() => checkScalesFit(fullSelection(), [32, 128, 128])).toThrow(/along z.*2D/);
    expect(() => checkScalesFit({ ...fullSelection(), in2d: true }, [32, 128, 128])).not.toThrow();
  });
});

describe('block-wise features', () => {
  it('equal the whole-image features when each block carries the halo (2D and 3D)', () => {
    for (const [shape, selection] of [
      [[70, 90], fullSelection([0.3, 0.7, 1, 1.6, 3.5])],
      [[24, 30, 28], fullSelection([0.7, 1.6])],
    ] as const) {
      const image = noise([...shape]);
      const whole = computeFeatureBlock({ channels: [image], shape: [...shape], lo: shape.map(() => 0), hi: [...shape] }, selection);
      const halo = featureHalo(selection);
      // One block in the middle: [lo, hi) plus the halo, cut out of the image.
      const lo = shape.map((s) => Math.floor(s / 3));
      const hi = shape.map((s) => Math.floor((2 * s) / 3));
      const hlo = lo.map((l) => Math.max(0, l - halo));
      const hhi = hi.map((h, d) => Math.min(shape[d], h + halo));
      const bshape = hhi.map((h, d) => h - hlo[d]);
      const block = new Float32Array(bshape.reduce((a, b) => a * b, 1));
      const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
      let i = 0;
      const each = (d: number, offset: number): void => {
        for (let p = hlo[d]; p < hhi[d]; p++) {
          if (d === shape.length - 1) block[i++] = image[offset + p];
          else each(d + 1, offset + p * strides[d]);
        }
      };
      each(0, 0);
      const part = computeFeatureBlock({ channels: [block], shape: bshape, lo: lo.map((l, d) => l - hlo[d]), hi: hi.map((h, d) => h - hlo[d]) }, selection);
      const size = hi.reduce((a, h, d) => a * (h - lo[d]), 1);
      const wsize = shape.reduce((a, b) => a * b, 1);
      const channels = part.length / size;
      let worst = 0;
      for (let c = 0; c < channels; c++) {
        let j = 0;
        const cmp = (d: number, offset: number): void => {
          for (let p = lo[d]; p < hi[d]; p++) {
            if (d === shape.length - 1) worst = Math.max(worst, Math.abs(part[c * size + j++] - whole[c * wsize + offset + p]));
            else cmp(d + 1, offset + p * strides[d]);
          }
        };
        cmp(0, 0);
      }
      expect(worst).toBe(0);
    }
  });

  it('filters each plane of a stack in 2D on request', () => {
    const stack = noise([3, 20, 24]);
    const selection = { ...parseFeatureSelection('gs,hoge', [0.7, 1.6]), in2d: true };
    const planes = computeFeatureBlock({ channels: [stack], shape: [3, 20, 24], lo: [0, 0, 0], hi: [3, 20, 24] }, selection);
    const second = computeFeatureBlock({ channels: [stack.subarray(480, 960)], shape: [20, 24], lo: [0, 0], hi: [20, 24] }, { ...selection, in2d: false });
    const channels = featureChannels(selection, 1, 3).length;
    expect(channels).toBe(2 + 4);
    for (let c = 0; c < channels; c++) expect(planes.subarray(c * 1440 + 480, c * 1440 + 960)).toEqual(second.subarray(c * 480, (c + 1) * 480));
  });
});
