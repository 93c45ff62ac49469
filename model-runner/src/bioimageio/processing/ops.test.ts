import { describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../../tests/helpers/reference.js';
import { createOp, applyOps } from './ops.js';
import { computeStats, wholeArray, type Measure } from './stats.js';
import type { Tensor } from './tensor.js';

// A 1×2×37×41 float32 tensor with a long tail (like fluorescence), two channels of different scale.
function sampleTensor(): Tensor {
  const shape = [1, 2, 37, 41];
  const data = new Float32Array(2 * 37 * 41);
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < data.length; i++) data[i] = (i < data.length / 2 ? 100 : 5) * Math.pow(rand(), 3) + (i % 7);
  return { data, shape, dtype: 'float32', axes: ['batch', 'channel', 'y', 'x'] };
}

async function run(step: { id: string; kwargs?: Record<string, unknown> }, tensor = sampleTensor()): Promise<number[]> {
  const op = createOp({ id: step.id, kwargs: step.kwargs ?? {} }, 'raw');
  const stats = await computeStats(op.measures, { axes: tensor.axes, shape: tensor.shape }, wholeArray(tensor.data, tensor.shape));
  return Array.from(applyOps([op], tensor, stats).data as Float32Array, Number);
}

// NumPy computes each op the way bioimageio.core's proc_ops do (population std, np.quantile methods, x > t).
const REFERENCE = `
import json, sys, numpy as np
x = np.array(json.loads(sys.stdin.read() if False else sys.argv[1]), dtype=np.float32).reshape(1, 2, 37, 41)
yx = (2, 3)
def zmuv(a, axes, eps=1e-6):
    m = a.astype(np.float64).mean(axis=axes, keepdims=True); s = a.astype(np.float64).std(axis=axes, keepdims=True)
    return (a - m) / (s + eps)
def q(a, p, axes, method):
    return np.quantile(a, p, axis=axes, keepdims=True, method=method)
out = {
  'zmuv_yx': zmuv(x, yx),
  'zmuv_all': zmuv(x, None),
  'fixed': (x - np.array([1., 2.]).reshape(1, 2, 1, 1)) / (np.array([3., 4.]).reshape(1, 2, 1, 1) + 1e-6),
  'scale_range': (x - q(x, 0.01, yx, 'linear')) / (q(x, 0.998, yx, 'linear') - q(x, 0.01, yx, 'linear') + 1e-6),
  'scale_linear': x * np.array([2., 3.]).reshape(1, 2, 1, 1) + np.array([-1., 1.]).reshape(1, 2, 1, 1),
  'clip_pct': np.clip(x, q(x, 0.05, yx, 'inverted_cdf'), q(x, 0.95, yx, 'inverted_cdf')),
  'clip': np.clip(x, 2.0, 30.0),
  'binarize': (x > 10.5).astype(np.float32),
  'sigmoid': 1 / (1 + np.exp(-(x / 10))),
  'softmax': np.exp(x / 50) / np.exp(x / 50).sum(axis=1, keepdims=True),
  'smv': (x - x.mean(axis=yx, keepdims=True)) / (x.std(axis=yx, keepdims=True) + 1e-6) * (x.std(axis=yx, keepdims=True) + 1e-6) + x.mean(axis=yx, keepdims=True),
}
print(json.dumps({k: np.asarray(v, dtype=np.float64).ravel().tolist() for k, v in out.items()}))
`;

function maxDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe.skipIf(missing('numpy in .venv', hasPython))('processing ops equal NumPy (as bioimageio.core computes them)', async () => {
  const x = sampleTensor();
  const ref = hasPython ? await pythonJson<Record<string, number[]>>(REFERENCE, [JSON.stringify(Array.from(x.data))]) : {};
  const scaled = (k: number): Tensor => ({ ...x, data: x.data.map((v) => v / k) });

  it.each([
    ['zmuv_yx', { id: 'zero_mean_unit_variance', kwargs: { axes: ['y', 'x'] } }, x, 1e-5],
    ['zmuv_all', { id: 'zero_mean_unit_variance', kwargs: {} }, x, 1e-5],
    ['fixed', { id: 'fixed_zero_mean_unit_variance', kwargs: { mean: [1, 2], std: [3, 4], axis: 'channel' } }, x, 1e-5],
    ['scale_range', { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 } }, x, 1e-5],
    ['scale_linear', { id: 'scale_linear', kwargs: { gain: [2, 3], offset: [-1, 1], axis: 'channel' } }, x, 1e-5],
    ['clip_pct', { id: 'clip', kwargs: { axes: ['y', 'x'], min_percentile: 5, max_percentile: 95 } }, x, 0],
    ['clip', { id: 'clip', kwargs: { min: 2, max: 30 } }, x, 0],
    ['binarize', { id: 'binarize', kwargs: { threshold: 10.5 } }, x, 0],
    ['sigmoid', { id: 'sigmoid' }, scaled(10), 1e-6],
    ['softmax', { id: 'softmax', kwargs: { axis: 'channel' } }, scaled(50), 1e-6],
    ['smv', { id: 'scale_mean_variance', kwargs: { axes: ['y', 'x'], reference_tensor: 'raw' } }, x, 1e-4],
  ] as const)('%s', async (key, step, tensor, tolerance) => {
    expect(maxDiff(await run(step, tensor as Tensor), ref[key])).toBeLessThanOrEqual(tolerance);
  });
});

describe('statistics', () => {
  it('finds exact order statistics with the histogram passes, chunk by chunk', async () => {
    const data = new Float32Array([5, -1, 3, 3, 0.5, -0, 7, 2, 1e-30, -2e10]);
    const sorted = Array.from(data).sort((a, b) => a - b);
    const measures: Measure[] = [0, 0.1, 0.5, 0.9, 1].map((q) => ({ kind: 'quantile', tensorId: 't', axes: null, q, method: 'inverted_cdf' }));
    // Two chunks of five.
    const stats = await computeStats(measures, { axes: ['x'], shape: [10] }, async (visit) => {
      visit(data.subarray(0, 5), [0], [5]);
      visit(data.subarray(5), [5], [5]);
    });
    expect([...stats.values()].map((v) => v.values[0])).toEqual([sorted[0], sorted[0], sorted[4], sorted[8], sorted[9]]);
  });

  it('computes per-channel mean and population std', async () => {
    const t = sampleTensor();
    const stats = await computeStats([{ kind: 'std', tensorId: 'raw', axes: ['y', 'x'] }], { axes: t.axes, shape: t.shape }, wholeArray(t.data, t.shape));
    const [entry] = stats.values();
    expect(entry.keptAxes).toEqual(['batch', 'channel']);
    const half = Array.from(t.data.subarray(0, t.data.length / 2));
    const mean = half.reduce((a, b) => a + b, 0) / half.length;
    const std = Math.sqrt(half.reduce((a, b) => a + (b - mean) ** 2, 0) / half.length);
    expect(entry.values[0]).toBeCloseTo(std, 9);
  });
});

describe('processing in place', () => {
  it.each([
    { id: 'zero_mean_unit_variance', kwargs: { axes: ['y', 'x'] } },
    { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 } },
    { id: 'scale_linear', kwargs: { gain: [2, 3], offset: [-1, 1], axis: 'channel' } },
    { id: 'clip', kwargs: { min: 2, max: 30 } },
    { id: 'sigmoid', kwargs: {} },
  ])('$id with reuse writes the same numbers into the given buffer', async (step) => {
    const op = createOp(step, 'raw');
    const t = sampleTensor();
    const stats = await computeStats(op.measures, { axes: t.axes, shape: t.shape }, wholeArray(t.data, t.shape));
    const fresh = applyOps([op], t, stats);
    expect(fresh.data).not.toBe(t.data); // without reuse the input stays as it was
    const own = { ...t, data: t.data.slice() };
    const inPlace = applyOps([op], own, stats, true);
    expect(inPlace.data).toBe(own.data);
    expect(Buffer.from(inPlace.data.buffer).equals(Buffer.from(fresh.data.buffer))).toBe(true);
  });

  it('leaves the input alone without reuse, but later steps overwrite the first step\'s own output', async () => {
    const ops = [createOp({ id: 'scale_linear', kwargs: { gain: 2 } }, 'raw'), createOp({ id: 'sigmoid', kwargs: {} }, 'raw')];
    const t = sampleTensor();
    const before = t.data.slice();
    const out = applyOps(ops, t, new Map());
    expect(Buffer.from(t.data.buffer).equals(Buffer.from(before.buffer))).toBe(true);
    expect(Array.from(out.data as Float32Array).slice(0, 3)).toEqual(Array.from(before.slice(0, 3)).map((v) => Math.fround(1 / (1 + Math.exp(-Math.fround(v * 2))))));
  });
});
