/**
 * Statistics that processing steps need — mean, standard deviation
 * (population, as bioimageio.core: sqrt(Σ(x−mean)²/n)) and quantiles —
 * computed over a whole image that is visited chunk by chunk, so memory
 * stays bounded whatever the image size.
 *
 * Means and variances are merged per chunk in float64 (Chan et al.).
 * Quantiles are exact order statistics found with two histogram passes over
 * the float32 bit patterns (high 16 bits, then low 16 bits inside the bins
 * that hold the wanted ranks), then interpolated as NumPy's "linear" method
 * or taken as its "inverted_cdf" method. Values are compared as float32, as
 * the model sees them. NaNs are ignored.
 */
import { groupsOf, strides, type TypedArray } from './tensor.js';

export type QuantileMethod = 'linear' | 'inverted_cdf';

export type Measure =
  | { kind: 'mean' | 'std'; tensorId: string; axes: string[] | null }
  | { kind: 'quantile'; tensorId: string; axes: string[] | null; q: number; method: QuantileMethod };

/** Stable key of a measure, for maps. */
export function measureKey(m: Measure): string {
  const axes = m.axes === null ? '*' : [...m.axes].sort().join(',');
  return m.kind === 'quantile' ? `${m.tensorId}|quantile|${axes}|${m.q}|${m.method}` : `${m.tensorId}|${m.kind}|${axes}`;
}

/** Measured values: one number per group (position along the axes that were not reduced), by measure key. */
export type StatValues = Map<string, { values: Float64Array; keptAxes: string[] }>;

/** A chunk of the image: its pixels (C order), where it starts and its shape, in the axes of the tensor. */
export type ChunkVisitor = (visit: (data: TypedArray, start: number[], shape: number[]) => void) => Promise<void>;

export interface StatsTarget {
  /** Axis ids of the tensor, e.g. ['batch', 'channel', 'y', 'x']. */
  axes: string[];
  /** Full shape of the tensor whose statistics are wanted. */
  shape: number[];
}

const HIST = 65536;

function keepMask(target: StatsTarget, axes: string[] | null): boolean[] {
  return target.axes.map((a) => axes !== null && !axes.includes(a));
}

/** float32 bit pattern → unsigned key that sorts as the float does. */
function keyOf(bits: number): number {
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}
function floatOfKey(key: number): number {
  const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits >>> 0);
  return view.getFloat32(0);
}

function asFloat32(data: TypedArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

interface Grouping {
  mask: boolean[];
  count: number;
  keptAxes: string[];
  /** Group of each element of a chunk, as runs: fn(group, start, end). */
  runs(start: number[], shape: number[], fn: (group: number, from: number, to: number) => void): void;
}

function grouping(target: StatsTarget, axes: string[] | null): Grouping {
  const mask = keepMask(target, axes);
  const { count, groupShape } = groupsOf(target.shape, mask);
  const gStrides = strides(groupShape);
  const last = mask.lastIndexOf(true);
  return {
    mask,
    count,
    keptAxes: target.axes.filter((_, i) => mask[i]),
    runs(start, shape, fn) {
      const total = shape.reduce((a, b) => a * b, 1);
      if (last < 0) {
        fn(0, 0, total);
        return;
      }
      const inner = shape.slice(last + 1).reduce((a, b) => a * b, 1);
      const chunkStrides = strides(shape);
      for (let from = 0; from < total; from += inner) {
        let g = 0;
        for (let d = 0; d <= last; d++) if (mask[d]) g += (start[d] + (Math.floor(from / chunkStrides[d]) % shape[d])) * gStrides[d];
        fn(g, from, from + inner);
      }
    },
  };
}

class Moments {
  readonly n: Float64Array;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  constructor(groups: number) {
    this.n = new Float64Array(groups);
    this.mean = new Float64Array(groups);
    this.m2 = new Float64Array(groups);
  }
  add(g: number, data: TypedArray, from: number, to: number): void {
    let n = 0;
    let sum = 0;
    for (let i = from; i < to; i++) {
      const v = Number(data[i]);
      if (v === v) {
        sum += v;
        n++;
      }
    }
    if (!n) return;
    const mean = sum / n;
    let m2 = 0;
    for (let i = from; i < to; i++) {
      const v = Number(data[i]);
      if (v === v) m2 += (v - mean) * (v - mean);
    }
    const na = this.n[g];
    const total = na + n;
    const delta = mean - this.mean[g];
    this.mean[g] += (delta * n) / total;
    this.m2[g] += m2 + (delta * delta * na * n) / total;
    this.n[g] = total;
  }
}

/** Ranks (0-based order statistics) a quantile needs, and how to combine them. */
function ranksFor(q: number, method: QuantileMethod, n: number): { lo: number; hi: number; t: number } {
  if (method === 'inverted_cdf') {
    const k = Math.min(n - 1, Math.max(0, Math.ceil(n * q) - 1));
    return { lo: k, hi: k, t: 0 };
  }
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  return { lo, hi: Math.min(n - 1, lo + 1), t: pos - lo };
}

/** NumPy's `_lerp`: exact at both ends. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Compute `measures` of one tensor. `visit` is called once, or twice when
 * quantiles are wanted, and must hand over every element exactly once.
 */
export async function computeStats(measures: Measure[], target: StatsTarget, visit: ChunkVisitor): Promise<StatValues> {
  const result: StatValues = new Map();
  const byAxes = new Map<string, { axes: string[] | null; measures: Measure[]; grouping: Grouping }>();
  for (const m of measures) {
    const key = m.axes === null ? '*' : [...m.axes].sort().join(',');
    if (!byAxes.has(key)) byAxes.set(key, { axes: m.axes, measures: [], grouping: grouping(target, m.axes) });
    byAxes.get(key)!.measures.push(m);
  }
  const sets = [...byAxes.values()];
  const moments = sets.map((s) => (s.measures.some((m) => m.kind !== 'quantile') ? new Moments(s.grouping.count) : undefined));
  const wantsQuantiles = sets.map((s) => s.measures.some((m) => m.kind === 'quantile'));
  const high = sets.map((s, i) => (wantsQuantiles[i] ? Array.from({ length: s.grouping.count }, () => new Float64Array(HIST)) : undefined));
  const counts = sets.map((s) => new Float64Array(s.grouping.count));

  await visit((data, start, shape) => {
    const f32 = wantsQuantiles.some(Boolean) ? asFloat32(data) : undefined;
    const bits = f32 ? new Uint32Array(f32.buffer, f32.byteOffset, f32.length) : undefined;
    sets.forEach((s, i) => {
      s.grouping.runs(start, shape, (g, from, to) => {
        moments[i]?.add(g, data, from, to);
        const hist = high[i]?.[g];
        if (!hist) return;
        let n = 0;
        for (let k = from; k < to; k++) {
          if (f32![k] !== f32![k]) continue;
          hist[keyOf(bits![k]) >>> 16]++;
          n++;
        }
        counts[i][g] += n;
      });
    });
  });

  // Which high bins hold the ranks each quantile needs.
  type Want = { set: number; group: number; rank: number };
  const wants: Want[] = [];
  sets.forEach((s, i) => {
    if (!wantsQuantiles[i]) return;
    for (let g = 0; g < s.grouping.count; g++) {
      const n = counts[i][g];
      for (const m of s.measures) {
        if (m.kind !== 'quantile' || n === 0) continue;
        const { lo, hi } = ranksFor(m.q, m.method, n);
        wants.push({ set: i, group: g, rank: lo }, { set: i, group: g, rank: hi });
      }
    }
  });
  const binOf = (hist: Float64Array, rank: number): { bin: number; before: number } => {
    let before = 0;
    for (let b = 0; b < HIST; b++) {
      if (before + hist[b] > rank) return { bin: b, before };
      before += hist[b];
    }
    return { bin: HIST - 1, before };
  };
  const low = new Map<string, Float64Array>(); // `${set}|${group}|${bin}` → low-bits histogram
  const located = wants.map((w) => {
    const { bin, before } = binOf(high[w.set]![w.group], w.rank);
    const key = `${w.set}|${w.group}|${bin}`;
    if (!low.has(key)) low.set(key, new Float64Array(HIST));
    return { ...w, bin, before, key };
  });
  if (low.size) {
    const bySet = sets.map(() => new Map<number, Map<number, Float64Array>>());
    for (const [key, hist] of low) {
      const [set, group, bin] = key.split('|').map(Number);
      if (!bySet[set].has(group)) bySet[set].set(group, new Map());
      bySet[set].get(group)!.set(bin, hist);
    }
    await visit((data, start, shape) => {
      const f32 = asFloat32(data);
      const bits = new Uint32Array(f32.buffer, f32.byteOffset, f32.length);
      sets.forEach((s, i) => {
        if (!bySet[i].size) return;
        s.grouping.runs(start, shape, (g, from, to) => {
          const bins = bySet[i].get(g);
          if (!bins) return;
          for (let k = from; k < to; k++) {
            if (f32[k] !== f32[k]) continue;
            const key = keyOf(bits[k]);
            const hist = bins.get(key >>> 16);
            if (hist) hist[key & 0xffff]++;
          }
        });
      });
    });
  }
  const valueAt = new Map<string, number>();
  for (const w of located) {
    const hist = low.get(w.key)!;
    let before = w.before;
    let b = 0;
    for (; b < HIST; b++) {
      if (before + hist[b] > w.rank) break;
      before += hist[b];
    }
    valueAt.set(`${w.set}|${w.group}|${w.rank}`, floatOfKey(((w.bin << 16) | Math.min(b, HIST - 1)) >>> 0));
  }

  sets.forEach((s, i) => {
    for (const m of s.measures) {
      const values = new Float64Array(s.grouping.count);
      for (let g = 0; g < s.grouping.count; g++) {
        if (m.kind === 'mean') values[g] = moments[i]!.n[g] ? moments[i]!.mean[g] : NaN;
        else if (m.kind === 'std') values[g] = moments[i]!.n[g] ? Math.sqrt(moments[i]!.m2[g] / moments[i]!.n[g]) : NaN;
        else if (m.kind === 'quantile') {
          const n = counts[i][g];
          if (!n) {
            values[g] = NaN;
            continue;
          }
          const { lo, hi, t } = ranksFor(m.q, m.method, n);
          values[g] = lerp(valueAt.get(`${i}|${g}|${lo}`)!, valueAt.get(`${i}|${g}|${hi}`)!, t);
        }
      }
      result.set(measureKey(m), { values, keptAxes: s.grouping.keptAxes });
    }
  });
  return result;
}

/** A visitor over an array in memory (one chunk: the whole array). */
export function wholeArray(data: TypedArray, shape: number[]): ChunkVisitor {
  return async (visit) => visit(data, shape.map(() => 0), shape);
}
