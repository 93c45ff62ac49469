/**
 * The bioimage.io pre- and post-processing steps, one small op each,
 * computing what bioimageio.core computes:
 *
 * | id | output |
 * | --- | --- |
 * | `zero_mean_unit_variance` | (x − mean) / (std + eps), std the population std |
 * | `fixed_zero_mean_unit_variance` | (x − mean) / (std + eps) with given mean/std (per axis or not) |
 * | `scale_range` | (x − p_lo) / (p_hi − p_lo + eps), percentiles with NumPy's "linear" method |
 * | `scale_linear` | x · gain + offset (per axis or not) |
 * | `scale_mean_variance` | (x − mean) / (std + eps) · (ref_std + eps) + ref_mean |
 * | `clip` | x limited to [min, max]; percentile bounds use NumPy's "inverted_cdf" |
 * | `binarize` | x > threshold (strict), boolean |
 * | `sigmoid` | 1 / (1 + e^−x) |
 * | `softmax` | e^x / Σ e^x along an axis (channel by default) |
 * | `ensure_dtype` | NumPy `astype` |
 *
 * Statistics follow bioimageio.core's modes: a step whose `axes` include
 * 'batch', or that names no axes, uses dataset statistics; otherwise they
 * are per sample, reduced over the named axes (per channel when 'channel'
 * is not among them). Each op lists the measures it needs; they are
 * computed beforehand over the whole image (stats.ts), so an op applies to
 * any tile. No Node imports.
 */
import { FairioError } from '@fairio/ngff/browser';
import { sigmoidFloat32 } from '@fairio/ngff/kernels';
import { castData, forEachRun, size, type Tensor, type TensorDtype } from './tensor.js';
import { measureKey, type Measure, type StatValues } from './stats.js';

export interface ProcessingOp {
  id: string;
  /** Statistics it needs, computed over the whole image before any tile runs. */
  measures: Measure[];
  /**
   * The processed tensor. With `reuse`, the op may write its result into
   * `tensor.data` (when the element type stays the same): the caller owns
   * that buffer and reads the input no more, so a tile is processed in place
   * instead of into a fresh array per step.
   */
  apply(tensor: Tensor, stats: StatValues, reuse?: boolean): Tensor;
}

type Kwargs = Record<string, unknown>;

function unsupported(message: string): never {
  throw new FairioError('UNSUPPORTED', message);
}

const floatOut = (t: Tensor): TensorDtype => (t.dtype === 'float64' ? 'float64' : t.dtype === 'float32' ? 'float32' : 'float64');

/** Where a float op writes: the input's own buffer when it may be reused and already has the result's type, else a new array. */
function floatTarget(t: Tensor, dtype: TensorDtype, reuse: boolean | undefined): Float32Array | Float64Array {
  const Type = dtype === 'float64' ? Float64Array : Float32Array;
  return reuse && t.data instanceof Type ? t.data : new Type(t.data.length);
}

/** Map every element; `kernel(v, group)` where group indexes the positions along `kept` axes. */
function mapElements(t: Tensor, kept: string[], dtype: TensorDtype, kernel: (v: number, group: number) => number, reuse?: boolean): Tensor {
  const missing = kept.filter((a) => !t.axes.includes(a));
  if (missing.length) unsupported(`tensor has no axis ${missing.join(', ')} (axes: ${t.axes.join(', ')})`);
  const mask = t.axes.map((a) => kept.includes(a));
  // Element i is read before it is written, so the input's buffer may take the output.
  const out = floatTarget(t, dtype, reuse);
  const data = t.data;
  forEachRun(t.shape, mask, (g, from, to) => {
    for (let i = from; i < to; i++) out[i] = kernel(Number(data[i]), g);
  });
  return { ...t, data: out, dtype };
}

/**
 * (v − sub[g]) / div[g] for every element: the same arithmetic as the
 * kernels of the normalising ops (the divisor computed once per group), in
 * one monomorphic loop per run instead of a closure call per element.
 */
function subtractDivide(t: Tensor, kept: string[], dtype: TensorDtype, sub: ArrayLike<number>, div: ArrayLike<number>, reuse?: boolean): Tensor {
  const missing = kept.filter((a) => !t.axes.includes(a));
  if (missing.length) unsupported(`tensor has no axis ${missing.join(', ')} (axes: ${t.axes.join(', ')})`);
  if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) return mapElements(t, kept, dtype, (v, g) => (v - sub[g]) / div[g], reuse);
  const mask = t.axes.map((a) => kept.includes(a));
  const out = floatTarget(t, dtype, reuse);
  const data = t.data;
  forEachRun(t.shape, mask, (g, from, to) => {
    const a = sub[g];
    const b = div[g];
    for (let i = from; i < to; i++) out[i] = (data[i] - a) / b;
  });
  return { ...t, data: out, dtype };
}

/** One value per group from a measure; checks that the groups line up with the tensor. */
function statOf(stats: StatValues, m: Measure, t: Tensor): { values: Float64Array; kept: string[] } {
  const entry = stats.get(measureKey(m));
  if (!entry) throw new FairioError('INVALID_ARGUMENT', `statistic ${measureKey(m)} was not computed before processing`);
  const groups = size(entry.keptAxes.map((a) => t.shape[t.axes.indexOf(a)] ?? 1));
  if (groups !== entry.values.length) {
    unsupported(`statistics per ${entry.keptAxes.join(', ')} do not line up with a tile of shape [${t.shape.join(', ')}]; fairio keeps statistics per channel or for the whole image`);
  }
  return { values: entry.values, kept: entry.keptAxes };
}

/** A scalar or a per-axis list of numbers. */
function perAxis(value: unknown, name: string): number[] {
  const list = Array.isArray(value) ? value : [value];
  const numbers = list.map(Number);
  if (!numbers.length || numbers.some((n) => Number.isNaN(n))) throw new FairioError('INVALID_METADATA', `${name} must be a number or a list of numbers, not ${JSON.stringify(value)}`);
  return numbers;
}

function alongAxis(t: Tensor, axis: string | undefined, values: number[], name: string): { kept: string[]; values: number[] } {
  if (values.length === 1 && !axis) return { kept: [], values };
  if (!axis) throw new FairioError('INVALID_METADATA', `${name} lists ${values.length} values but names no axis`);
  const n = t.shape[t.axes.indexOf(axis)];
  if (n === undefined) unsupported(`${name} runs along axis "${axis}", which the tensor does not have`);
  if (values.length === 1) return { kept: [axis], values: new Array(n).fill(values[0]) };
  if (values.length !== n) throw new FairioError('INVALID_METADATA', `${name} lists ${values.length} values for axis "${axis}" of size ${n}`);
  return { kept: [axis], values };
}

/** bioimageio.core's `_get_axes`: no axes or 'batch' among them → dataset statistics over those axes. */
function statAxes(kwargs: Kwargs): string[] | null {
  const axes = kwargs.axes;
  if (axes === undefined || axes === null) return null;
  return (Array.isArray(axes) ? axes : [...String(axes)]).map(String);
}

export function binarize(kwargs: Kwargs): ProcessingOp {
  const thresholds = perAxis(kwargs.threshold, 'binarize threshold');
  return {
    id: 'binarize',
    measures: [],
    apply(t) {
      const { kept, values } = alongAxis(t, kwargs.axis as string | undefined, thresholds, 'binarize threshold');
      const out = mapElements(t, kept, 'float32', (v, g) => (v > values[g] ? 1 : 0));
      return { ...out, data: castData(out.data, 'bool'), dtype: 'bool' };
    },
  };
}

export function clip(kwargs: Kwargs, tensorId: string): ProcessingOp {
  const axes = statAxes(kwargs);
  const bound = (value: unknown, percentile: unknown): number | Measure | undefined =>
    typeof value === 'number' ? value : typeof percentile === 'number' ? { kind: 'quantile', tensorId, axes, q: percentile / 100, method: axes === null || axes.includes('batch') ? 'linear' : 'inverted_cdf' } : undefined;
  const min = bound(kwargs.min, kwargs.min_percentile);
  const max = bound(kwargs.max, kwargs.max_percentile);
  if (min === undefined && max === undefined) throw new FairioError('INVALID_METADATA', 'clip needs min or max (or their percentiles)');
  return {
    id: 'clip',
    measures: [min, max].filter((b): b is Measure => typeof b === 'object'),
    apply(t, stats, reuse) {
      const lo = typeof min === 'object' ? statOf(stats, min, t) : undefined;
      const hi = typeof max === 'object' ? statOf(stats, max, t) : undefined;
      const kept = lo?.kept ?? hi?.kept ?? [];
      return mapElements(t, kept, floatOut(t), (v, g) => {
        const a = lo ? lo.values[g] : (min as number | undefined);
        const b = hi ? hi.values[g] : (max as number | undefined);
        if (a !== undefined && v < a) v = a;
        if (b !== undefined && v > b) v = b;
        return v;
      }, reuse);
    },
  };
}

export function ensureDtype(kwargs: Kwargs): ProcessingOp {
  const dtype = String(kwargs.dtype) as TensorDtype;
  return { id: 'ensure_dtype', measures: [], apply: (t) => (t.dtype === dtype ? t : { ...t, data: castData(t.data, dtype), dtype }) };
}

export function fixedZeroMeanUnitVariance(kwargs: Kwargs): ProcessingOp {
  const means = perAxis(kwargs.mean, 'mean');
  const stds = perAxis(kwargs.std, 'std');
  const eps = Number(kwargs.eps ?? 1e-6);
  return {
    id: 'fixed_zero_mean_unit_variance',
    measures: [],
    apply(t, _stats, reuse) {
      const m = alongAxis(t, kwargs.axis as string | undefined, means, 'mean');
      const s = alongAxis(t, kwargs.axis as string | undefined, stds, 'std');
      return subtractDivide(t, m.kept, floatOut(t), m.values, s.values.map((v) => v + eps), reuse);
    },
  };
}

export function scaleLinear(kwargs: Kwargs): ProcessingOp {
  const gains = perAxis(kwargs.gain ?? 1, 'gain');
  const offsets = perAxis(kwargs.offset ?? 0, 'offset');
  return {
    id: 'scale_linear',
    measures: [],
    apply(t, _stats, reuse) {
      const axis = kwargs.axis as string | undefined;
      const g = alongAxis(t, axis, gains.length === 1 && offsets.length > 1 ? [gains[0]] : gains, 'gain');
      const o = alongAxis(t, axis, offsets, 'offset');
      const kept = g.kept.length ? g.kept : o.kept;
      const n = Math.max(g.values.length, o.values.length);
      const gain = g.values.length === n ? g.values : new Array(n).fill(g.values[0]);
      const offset = o.values.length === n ? o.values : new Array(n).fill(o.values[0]);
      return mapElements(t, kept, floatOut(t), (v, k) => v * gain[k] + offset[k], reuse);
    },
  };
}

export function zeroMeanUnitVariance(kwargs: Kwargs, tensorId: string): ProcessingOp {
  const axes = statAxes(kwargs);
  const eps = Number(kwargs.eps ?? 1e-6);
  const mean: Measure = { kind: 'mean', tensorId, axes };
  const std: Measure = { kind: 'std', tensorId, axes };
  return {
    id: 'zero_mean_unit_variance',
    measures: [mean, std],
    apply(t, stats, reuse) {
      const m = statOf(stats, mean, t);
      const s = statOf(stats, std, t);
      return subtractDivide(t, m.kept, floatOut(t), m.values, s.values.map((v) => v + eps), reuse);
    },
  };
}

export function scaleRange(kwargs: Kwargs, tensorId: string): ProcessingOp {
  const axes = statAxes(kwargs);
  const eps = Number(kwargs.eps ?? 1e-6);
  const ref = typeof kwargs.reference_tensor === 'string' ? kwargs.reference_tensor : tensorId;
  const lower: Measure = { kind: 'quantile', tensorId: ref, axes, q: Number(kwargs.min_percentile ?? 0) / 100, method: 'linear' };
  const upper: Measure = { kind: 'quantile', tensorId: ref, axes, q: Number(kwargs.max_percentile ?? 100) / 100, method: 'linear' };
  if (!(lower.kind === 'quantile' && upper.kind === 'quantile' && lower.q < upper.q)) throw new FairioError('INVALID_METADATA', 'scale_range needs min_percentile < max_percentile');
  return {
    id: 'scale_range',
    measures: [lower, upper],
    apply(t, stats, reuse) {
      const lo = statOf(stats, lower, t);
      const hi = statOf(stats, upper, t);
      return subtractDivide(t, lo.kept, floatOut(t), lo.values, hi.values.map((v, g) => v - lo.values[g] + eps), reuse);
    },
  };
}

export function scaleMeanVariance(kwargs: Kwargs, tensorId: string): ProcessingOp {
  const axes = statAxes(kwargs);
  const eps = Number(kwargs.eps ?? 1e-6);
  const ref = typeof kwargs.reference_tensor === 'string' ? kwargs.reference_tensor : tensorId;
  const measures: Measure[] = [
    { kind: 'mean', tensorId, axes },
    { kind: 'std', tensorId, axes },
    { kind: 'mean', tensorId: ref, axes },
    { kind: 'std', tensorId: ref, axes },
  ];
  return {
    id: 'scale_mean_variance',
    measures,
    apply(t, stats, reuse) {
      const [m, s, rm, rs] = measures.map((x) => statOf(stats, x, t));
      return mapElements(t, m.kept, floatOut(t), (v, g) => ((v - m.values[g]) / (s.values[g] + eps)) * (rs.values[g] + eps) + rm.values[g], reuse);
    },
  };
}

/** The sigmoid where the SIMD kernel does not run (float64, or no WebAssembly SIMD): its own function, kept small and hot. */
function sigmoidLoop(data: Float32Array | Float64Array, out: Float32Array | Float64Array): void {
  for (let i = 0; i < data.length; i++) out[i] = 1 / (1 + Math.exp(-data[i]));
}

export function sigmoid(): ProcessingOp {
  return {
    id: 'sigmoid',
    measures: [],
    apply(t, _stats, reuse) {
      const dtype = floatOut(t);
      if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) return mapElements(t, [], dtype, (v) => 1 / (1 + Math.exp(-v)), reuse);
      const out = floatTarget(t, dtype, reuse);
      if (!(t.data instanceof Float32Array && out instanceof Float32Array && sigmoidFloat32(t.data, out))) sigmoidLoop(t.data, out);
      return { ...t, data: out, dtype };
    },
  };
}

export function softmax(kwargs: Kwargs): ProcessingOp {
  const axis = String(kwargs.axis ?? 'channel');
  return {
    id: 'softmax',
    measures: [],
    apply(t) {
      const k = t.axes.indexOf(axis);
      if (k < 0) unsupported(`softmax runs along axis "${axis}", which the tensor does not have`);
      const n = t.shape[k];
      const inner = size(t.shape.slice(k + 1));
      const outer = size(t.shape.slice(0, k));
      const dtype = floatOut(t);
      const out = new (dtype === 'float64' ? Float64Array : Float32Array)(t.data.length);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * n * inner + i;
          let max = -Infinity;
          for (let c = 0; c < n; c++) max = Math.max(max, Number(t.data[base + c * inner]));
          let sum = 0;
          for (let c = 0; c < n; c++) sum += Math.exp(Number(t.data[base + c * inner]) - max);
          for (let c = 0; c < n; c++) out[base + c * inner] = Math.exp(Number(t.data[base + c * inner]) - max) / sum;
        }
      }
      return { ...t, data: out, dtype };
    },
  };
}

/** The op for one described step of tensor `tensorId`. */
export function createOp(step: { id: string; kwargs: Kwargs }, tensorId: string): ProcessingOp {
  switch (step.id) {
    case 'binarize':
      return binarize(step.kwargs);
    case 'clip':
      return clip(step.kwargs, tensorId);
    case 'ensure_dtype':
      return ensureDtype(step.kwargs);
    case 'fixed_zero_mean_unit_variance':
      return fixedZeroMeanUnitVariance(step.kwargs);
    case 'scale_linear':
      return scaleLinear(step.kwargs);
    case 'scale_mean_variance':
      return scaleMeanVariance(step.kwargs, tensorId);
    case 'scale_range':
      return scaleRange(step.kwargs, tensorId);
    case 'sigmoid':
      return sigmoid();
    case 'softmax':
      return softmax(step.kwargs);
    case 'zero_mean_unit_variance':
      return zeroMeanUnitVariance(step.kwargs, tensorId);
    default:
      return unsupported(`processing step "${step.id}" is not implemented by fairio`);
  }
}

/**
 * Apply ops in order. With `reuse` the caller hands over `tensor.data` (it
 * owns the buffer and reads it no more), and the ops run in place where the
 * element type allows; without it the input is left as it was, and only
 * buffers the ops made themselves are overwritten by the steps after.
 */
export function applyOps(ops: ProcessingOp[], tensor: Tensor, stats: StatValues, reuse = false): Tensor {
  return ops.reduce((t, op) => op.apply(t, stats, reuse || t.data !== tensor.data), tensor);
}
