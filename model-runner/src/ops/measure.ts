/**
 * The `measure` node: one CSV row per object of a label image — area,
 * centroid, bounding box and, with an intensity image, mean / min / max
 * intensity — named and computed as scikit-image's `regionprops_table`
 * (`label`, `area`, `centroid-0…`, `bbox-0…`, `intensity_mean`, …), plus the
 * same in physical units from the image's scale. One streaming pass over
 * blocks accumulates per-label sums; memory grows with the number of
 * objects, not with the image.
 */
import * as fs from 'node:fs';
import { FairioError, boundedMap, iterateBlocks, writeAtomically, type Axis } from '@fairio/ngff';
import type { AnalysisNode, NodeRunContext, NodeRunResult } from '../node.js';
import { checkOutput, optionalInput, requireOutput, stringInput } from './common.js';
import { measureDescription } from './descriptions.js';
import { PassProgress, imageView, isIntegerType, isSpatial, openImage, passBlockShape, throwIfAborted, type ImageView, type Pixels } from './image-view.js';

export interface MeasureOptions {
  /** Intensity image over the same pixels (same axes except `c`, same shape). */
  intensity?: string;
  /** Channel of the intensity image when it has several. */
  channel?: number;
  /** Spatial block shape of the pass (default: whole chunks, about a million pixels). */
  block?: number[];
  overwrite?: boolean;
  onProgress?: (done: number, total: number, what?: string) => void;
  signal?: AbortSignal;
}

export interface MeasureResult {
  path: string;
  /** Number of objects (rows). */
  labels: number;
  columns: string[];
}

/** Per-label sums, one row per label, in growable columns. */
class RegionSums {
  readonly rows = new Map<number, number>();
  readonly labels: number[] = [];
  private capacity = 256;
  area = new Float64Array(this.capacity);
  coordSum: Float64Array;
  coordMin: Float64Array;
  coordMax: Float64Array;
  intensitySum = new Float64Array(this.capacity);
  intensityMin = new Float64Array(this.capacity);
  intensityMax = new Float64Array(this.capacity);

  constructor(readonly ndim: number) {
    this.coordSum = new Float64Array(this.capacity * ndim);
    this.coordMin = new Float64Array(this.capacity * ndim);
    this.coordMax = new Float64Array(this.capacity * ndim);
  }

  private grow(): void {
    const c = this.capacity * 2;
    const more = (a: Float64Array, n = 1) => {
      const b = new Float64Array(c * n);
      b.set(a);
      return b;
    };
    this.area = more(this.area);
    this.coordSum = more(this.coordSum, this.ndim);
    this.coordMin = more(this.coordMin, this.ndim);
    this.coordMax = more(this.coordMax, this.ndim);
    this.intensitySum = more(this.intensitySum);
    this.intensityMin = more(this.intensityMin);
    this.intensityMax = more(this.intensityMax);
    this.capacity = c;
  }

  row(label: number): number {
    let r = this.rows.get(label);
    if (r !== undefined) return r;
    if (!(label > 0) || !Number.isSafeInteger(label)) {
      throw new FairioError('INVALID_ARGUMENT', `holds the label value ${label}; labels must be whole numbers ≥ 0 (0 is background)`);
    }
    r = this.labels.length;
    if (r === this.capacity) this.grow();
    this.rows.set(label, r);
    this.labels.push(label);
    this.coordMin.fill(Infinity, r * this.ndim, (r + 1) * this.ndim);
    this.coordMax.fill(-Infinity, r * this.ndim, (r + 1) * this.ndim);
    this.intensityMin[r] = Infinity;
    this.intensityMax[r] = -Infinity;
    return r;
  }

  /** Add one block: `labels` (and `intensity`) over the box [start, stop), C order. */
  add(labels: Pixels, intensity: Pixels | undefined, start: number[], stop: number[]): void {
    const n = this.ndim;
    const width = stop[n - 1] - start[n - 1];
    const x0 = start[n - 1];
    const outer = start.slice(0, n - 1);
    let lastLabel = 0;
    let r = -1;
    for (let base = 0; base < labels.length; base += width) {
      for (let x = 0; x < width; ) {
        const v = labels[base + x];
        if (v === 0) {
          x++;
          continue;
        }
        let end = x + 1;
        while (end < width && labels[base + end] === v) end++;
        if (v !== lastLabel) {
          r = this.row(v);
          lastLabel = v;
        }
        const run = end - x;
        this.area[r] += run;
        const o = r * n;
        for (let d = 0; d < n - 1; d++) {
          this.coordSum[o + d] += outer[d] * run;
          if (outer[d] < this.coordMin[o + d]) this.coordMin[o + d] = outer[d];
          if (outer[d] > this.coordMax[o + d]) this.coordMax[o + d] = outer[d];
        }
        const first = x0 + x;
        const last = x0 + end - 1;
        this.coordSum[o + n - 1] += ((first + last) * run) / 2;
        if (first < this.coordMin[o + n - 1]) this.coordMin[o + n - 1] = first;
        if (last > this.coordMax[o + n - 1]) this.coordMax[o + n - 1] = last;
        if (intensity) {
          let sum = 0;
          let lo = this.intensityMin[r];
          let hi = this.intensityMax[r];
          for (let i = base + x; i < base + end; i++) {
            const value = intensity[i];
            sum += value;
            if (value < lo) lo = value;
            if (value > hi) hi = value;
          }
          this.intensitySum[r] += sum;
          this.intensityMin[r] = lo;
          this.intensityMax[r] = hi;
        }
        x = end;
      }
      // Next row: advance the outer coordinates.
      for (let d = n - 2; d >= 0; d--) {
        if (++outer[d] < stop[d]) break;
        outer[d] = start[d];
      }
    }
  }
}

/** "micrometer^2", "micrometer*nanometer^2": the unit of a product of axes. */
function unitOf(axes: Axis[]): string {
  const powers = new Map<string, number>();
  for (const a of axes) powers.set(a.unit ?? 'unit', (powers.get(a.unit ?? 'unit') ?? 0) + 1);
  return [...powers].map(([u, p]) => (p === 1 ? u : `${u}^${p}`)).join('*');
}

/** Column names, in order. */
export function measureColumns(axes: Axis[], withIntensity: boolean): string[] {
  const n = axes.length;
  const spatial = axes.filter(isSpatial);
  const sizeName = spatial.length === 3 ? 'volume' : spatial.length === 2 ? 'area' : 'length';
  return [
    'label',
    'area',
    `${sizeName}_${unitOf(spatial)}`,
    ...axes.map((_, d) => `centroid-${d}`),
    ...axes.map((a) => `centroid_${a.name}_${a.unit ?? 'unit'}`),
    ...Array.from({ length: 2 * n }, (_, d) => `bbox-${d}`),
    ...(withIntensity ? ['intensity_mean', 'intensity_min', 'intensity_max'] : []),
  ];
}

function checkSameGrid(labels: ImageView, intensity: ImageView): void {
  const names = (v: ImageView) => v.axes.map((a) => a.name).join(', ');
  if (names(labels) !== names(intensity) || labels.shape.some((s, i) => s !== intensity.shape[i])) {
    throw new FairioError(
      'INVALID_ARGUMENT',
      `the intensity image has shape [${intensity.shape.join(', ')}] (axes ${names(intensity)}) but the labels have [${labels.shape.join(', ')}] (axes ${names(labels)}); both must cover the same pixels`,
      { path: intensity.location },
    );
  }
}

/** Measure every object of the label image at `input` into a CSV at `output` (atomically). */
export async function measureRegions(input: string, output: string, options: MeasureOptions = {}): Promise<MeasureResult> {
  checkOutput(output, options.overwrite);
  const labelImage = await openImage(input, 'label image');
  const labels = imageView(labelImage, input, { channels: 'pick', channelHint: 'a label image must have a single channel' });
  if (!isIntegerType(labels.dtype)) {
    throw new FairioError('INVALID_ARGUMENT', `holds ${labels.dtype} pixels; a label image holds whole numbers (0 background, 1, 2, … one per object)`, { path: input });
  }
  let intensity: ImageView | undefined;
  if (options.intensity) {
    intensity = imageView(await openImage(options.intensity, 'intensity image'), options.intensity, {
      channels: 'pick',
      channel: options.channel,
      channelHint: 'choose one with the channel parameter (--channel)',
    });
    checkSameGrid(labels, intensity);
  } else if (options.channel !== undefined) {
    throw new FairioError('INVALID_ARGUMENT', 'a channel was chosen but no intensity image was given');
  }

  const block = passBlockShape(labels, options.block);
  const blockTotal = labels.shape.reduce((n, s, i) => n * Math.ceil(s / block[i]), 1);
  const progress = new PassProgress(options.onProgress, [blockTotal]);
  const sums = new RegionSums(labels.shape.length);
  for await (const { b, l, i } of boundedMap(
    iterateBlocks(labels.shape, block),
    async (b) => {
      const [l, i] = await Promise.all([labels.read(b.start, b.stop), intensity?.read(b.start, b.stop)]);
      return { b, l, i };
    },
    4,
  )) {
    throwIfAborted(options.signal);
    sums.add(l, i, b.start, b.stop);
    progress.step('measuring');
  }

  const columns = measureColumns(labels.axes, intensity !== undefined);
  const n = labels.shape.length;
  const spatial = labels.axes.map((a, d) => (isSpatial(a) ? d : -1)).filter((d) => d >= 0);
  const pixelSize = spatial.reduce((p, d) => p * labels.scale[d], 1);
  const order = sums.labels.map((label, row) => ({ label, row })).sort((a, b) => a.label - b.label);
  const line = ({ label, row: r }: { label: number; row: number }): string => {
    const area = sums.area[r];
    const centroid = Array.from({ length: n }, (_, d) => sums.coordSum[r * n + d] / area);
    const values = [
      label,
      area,
      area * pixelSize,
      ...centroid,
      ...centroid.map((c, d) => labels.translation[d] + labels.scale[d] * c),
      ...Array.from({ length: n }, (_, d) => sums.coordMin[r * n + d]),
      ...Array.from({ length: n }, (_, d) => sums.coordMax[r * n + d] + 1),
      ...(intensity ? [sums.intensitySum[r] / area, sums.intensityMin[r], sums.intensityMax[r]] : []),
    ];
    return values.map(String).join(',');
  };
  await writeAtomically(
    output,
    async (temp) => {
      const file = await fs.promises.open(temp, 'w');
      try {
        await file.write(`${columns.join(',')}\n`);
        for (let i = 0; i < order.length; i += 4096) {
          await file.write(order.slice(i, i + 4096).map((o) => `${line(o)}\n`).join(''));
        }
      } finally {
        await file.close();
      }
    },
    { overwrite: options.overwrite },
  );
  return { path: output, labels: order.length, columns };
}

export const measureNode: AnalysisNode = {
  description: measureDescription,
  async run(context: NodeRunContext): Promise<NodeRunResult> {
    const result = await measureRegions(stringInput(context, 'labels'), requireOutput(context, 'table'), {
      intensity: optionalInput(context, 'intensity'),
      channel: context.parameters.channel as number | undefined,
      overwrite: context.overwrite,
      onProgress: context.onProgress,
      signal: context.signal,
    });
    return { outputs: { table: result.path }, summary: { labelCount: result.labels } };
  },
};
