/**
 * Otsu's threshold and its histograms against scikit-image and numpy, value
 * for value: `threshold_otsu` on arrays of every pixel type (integer bins,
 * 256 float bins in float32 and float64 arithmetic), `threshold_otsu(hist=…)`
 * on histograms with counts far beyond float32's exact range, and
 * `np.histogram`'s bin assignment of float32 values that sit on bin edges.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { BinnedHistogram, IntegerHistogram, ValueRange, otsuBinned, otsuFromHistogram, otsuInteger } from './otsu.js';
import { random } from './__fixtures__/images.js';

const skip = missing('Python reference tools (.venv)', hasPython);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-otsu-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

type Numeric = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Our threshold of a whole array, through the same histogram classes the node streams blocks into. */
function ours(data: Numeric, dtype: string): number {
  if (!dtype.startsWith('float')) {
    const h = new IntegerHistogram();
    // Two halves, as two blocks would arrive.
    h.add(data.subarray(0, data.length >> 1));
    h.add(data.subarray(data.length >> 1));
    return otsuInteger(h);
  }
  const range = new ValueRange();
  range.add(data);
  if (range.min === range.max) return range.min;
  const h = new BinnedHistogram(range.min, range.max, dtype === 'float32');
  h.add(data);
  return otsuBinned(h);
}

/** Otsu's threshold in plain float64 arithmetic: what skimage's float32 roundings are measured against. */
function exactOtsu(values: number[], counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const sum = counts.reduce((a, c, i) => a + c * values[i], 0);
  let w1 = 0;
  let s1 = 0;
  let best = -1;
  let index = 0;
  for (let i = 0; i < values.length - 1; i++) {
    w1 += counts[i];
    s1 += counts[i] * values[i];
    const d = s1 / w1 - (sum - s1) / (total - w1);
    const v = w1 * (total - w1) * d * d;
    if (v > best) {
      best = v;
      index = i;
    }
  }
  return values[index];
}

function bimodal(n: number, rand: () => number, a: number, b: number, spread: number, fraction: number): number[] {
  return Array.from({ length: n }, () => {
    const g = (rand() + rand() + rand() - 1.5) * spread;
    return (rand() < fraction ? a : b) + g;
  });
}

describe.skipIf(skip)("Otsu's threshold equals skimage.filters.threshold_otsu", () => {
  const rand = random(11);
  const cases: { name: string; dtype: string; data: Numeric }[] = [
    { name: 'uint8 noise', dtype: 'uint8', data: Uint8Array.from({ length: 50_000 }, () => Math.floor(rand() * 256)) },
    { name: 'uint8 bimodal', dtype: 'uint8', data: Uint8Array.from(bimodal(40_000, rand, 40, 180, 60, 0.7), (v) => Math.max(0, Math.min(255, Math.round(v)))) },
    { name: 'uint16 bimodal', dtype: 'uint16', data: Uint16Array.from(bimodal(60_000, rand, 300, 2500, 900, 0.8), (v) => Math.max(0, Math.round(v))) },
    { name: 'int16 around zero', dtype: 'int16', data: Int16Array.from(bimodal(30_000, rand, -900, 700, 800, 0.4), (v) => Math.round(v)) },
    { name: 'int8', dtype: 'int8', data: Int8Array.from(bimodal(10_000, rand, -60, 50, 50, 0.5), (v) => Math.max(-128, Math.min(127, Math.round(v)))) },
    { name: 'uint32 beyond 16 bits (sparse bins)', dtype: 'uint32', data: Uint32Array.from(bimodal(20_000, rand, 1e6, 5e6, 5e5, 0.6), (v) => Math.max(0, Math.round(v))) },
    { name: 'int32 negative and wide', dtype: 'int32', data: Int32Array.from(bimodal(20_000, rand, -2e6, 1e5, 3e5, 0.3), (v) => Math.round(v)) },
    { name: 'two values', dtype: 'uint16', data: Uint16Array.from({ length: 1000 }, (_, i) => (i % 3 ? 7 : 9000)) },
    { name: 'uniform', dtype: 'uint16', data: new Uint16Array(500).fill(42) },
    { name: 'float32 probabilities', dtype: 'float32', data: Float32Array.from(bimodal(80_000, rand, 0.05, 0.93, 0.1, 0.85), (v) => Math.min(1, Math.max(0, v))) },
    { name: 'float32 large offset', dtype: 'float32', data: Float32Array.from(bimodal(30_000, rand, 1.0e4, 1.0e4 + 3, 1.5, 0.5)) },
    { name: 'float32 negative', dtype: 'float32', data: Float32Array.from(bimodal(30_000, rand, -3.3, 11.7, 4, 0.35)) },
    { name: 'float64', dtype: 'float64', data: Float64Array.from(bimodal(30_000, rand, 1e-3, 7e-3, 3e-3, 0.6)) },
    { name: 'float32 uniform', dtype: 'float32', data: new Float32Array(100).fill(0.25) },
  ];

  it('every pixel type, in one Python run', async () => {
    const files = cases.map((c, i) => {
      const file = path.join(work, `case-${i}.bin`);
      fs.writeFileSync(file, new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength));
      return { file, dtype: c.dtype };
    });
    const refs = await pythonJson<number[]>(
      `
import json, sys, numpy as np
from skimage.filters import threshold_otsu
print(json.dumps([float(threshold_otsu(np.fromfile(j['file'], dtype=j['dtype']))) for j in json.loads(sys.argv[1])]))
`,
      [JSON.stringify(files)],
    );
    cases.forEach((c, i) => expect({ case: c.name, threshold: ours(c.data, c.dtype) }).toEqual({ case: c.name, threshold: refs[i] }));
  });

  it('histograms of huge images: counts beyond float32 precision accumulate as skimage accumulates them', async () => {
    const rand2 = random(5);
    const histograms = [
      // Integer bins, a 10^11-pixel image: skimage's float32 cumulative counts round.
      { values: Array.from({ length: 4096 }, (_, i) => i), counts: Array.from({ length: 4096 }, (_, i) => Math.round(3e7 * (1 + rand2()) * (i < 1000 ? 4 : 1))), float32: false },
      // Float32 bin centres: products and sums in float32 too.
      { values: Array.from({ length: 256 }, (_, i) => Math.fround(0.5 + i * 0.013)), counts: Array.from({ length: 256 }, () => Math.round(rand2() * 1e9)), float32: true },
    ];
    // Symmetric histograms: two splits tie in exact arithmetic, and skimage's roundings decide which wins.
    for (const seed of [1, 2, 5, 6, 9, 12]) {
      const r = random(seed);
      const k = 33 + 2 * Math.floor(r() * 20);
      const scale = 10 ** (6 + Math.floor(r() * 4));
      const half = Array.from({ length: (k + 1) / 2 }, () => Math.round(scale * (0.5 + r())));
      const float32 = seed % 2 === 0;
      histograms.push({
        values: Array.from({ length: k }, (_, i) => (float32 ? Math.fround(0.1 + i * 0.37) : i)),
        counts: Array.from({ length: k }, (_, i) => half[Math.min(i, k - 1 - i)]),
        float32,
      });
    }
    const refs = await pythonJson<number[]>(
      `
import json, sys, numpy as np
from skimage.filters import threshold_otsu
out = []
for h in json.loads(sys.argv[1]):
    centres = np.array(h['values'], dtype=np.float32 if h['float32'] else np.int64)
    out.append(float(threshold_otsu(hist=(np.array(h['counts'], dtype=np.int64), centres))))
print(json.dumps(out))
`,
      [JSON.stringify(histograms)],
    );
    histograms.forEach((h, i) => expect(otsuFromHistogram(h.values, h.counts, h.float32)).toBe(refs[i]));
    // The roundings matter: computed in exact double arithmetic, some of these thresholds would differ.
    expect(histograms.filter((h, i) => exactOtsu(h.values, h.counts) !== refs[i]).length).toBeGreaterThan(0);
  });

  it('float32 values on bin edges go to the bin numpy puts them in', async () => {
    const lo = Math.fround(-1.7);
    const hi = Math.fround(2.3);
    const h = new BinnedHistogram(lo, hi, true);
    // Every edge, its float32 neighbours, and random values.
    const values: number[] = [lo, hi];
    const rand3 = random(3);
    const up = (v: number) => {
      const f = new Float32Array([v]);
      const u = new Int32Array(f.buffer);
      u[0] += v >= 0 ? 1 : -1;
      return f[0];
    };
    const down = (v: number) => {
      const f = new Float32Array([v]);
      const u = new Int32Array(f.buffer);
      u[0] += v > 0 ? -1 : 1;
      return f[0];
    };
    for (const e of h.edges) for (const v of [e, up(e), down(e)]) if (v >= lo && v <= hi) values.push(v);
    for (let i = 0; i < 5000; i++) values.push(Math.fround(lo + rand3() * (hi - lo)));
    const data = Float32Array.from(values);
    h.add(data);
    const file = path.join(work, 'edges.bin');
    fs.writeFileSync(file, new Uint8Array(data.buffer));
    const ref = await pythonJson<{ counts: number[]; edges: number[] }>(
      `
import json, sys, numpy as np
a = np.fromfile(sys.argv[1], dtype=np.float32)
counts, edges = np.histogram(a, bins=256)
print(json.dumps({'counts': counts.tolist(), 'edges': [float(e) for e in edges]}))
`,
      [file],
    );
    expect([...h.edges]).toEqual(ref.edges);
    expect([...h.counts]).toEqual(ref.counts);
  });
});

describe('Otsu edge cases', () => {
  it('refuses NaN and infinity with a clear message', () => {
    expect(() => new ValueRange().add(Float32Array.from([1, NaN]))).toThrow(/finite/);
  });
  it('refuses a float32 range too narrow for 256 bins, as numpy does', () => {
    expect(() => new BinnedHistogram(Math.fround(1e6), Math.fround(1e6 + 8), true)).toThrow(/too narrow/);
  });
  it('a single value is its own threshold', () => {
    expect(otsuFromHistogram([5], [10])).toBe(5);
  });
});
