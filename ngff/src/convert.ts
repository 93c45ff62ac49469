/**
 * TIFF / BigTIFF / OME-TIFF → OME-Zarr, streaming: the OME-Zarr writer asks
 * for one chunk-aligned block at a time and this source reads only the TIFF
 * strips or tiles under it, so peak memory is a few blocks (plus one band of
 * full-width strips per plane of the current block), never the image.
 * TIFF axes (any storage order, e.g. ImageJ's TZCYX) are mapped to the NGFF
 * order t, c, z, y, x; OME-XML or ImageJ physical sizes become the scale,
 * channel names and colours become `omero` channels.
 */
import { FairioError } from './errors.js';
import type { Axis } from './metadata/types.js';
import { SpareArrays } from './blocks/index.js';
import { openTiff, type TiffSeries } from './tiff/index.js';
import { DATA_TYPES, type TypedArray } from './zarr/index.js';
import type { ChannelDisplay } from './write/ngff-attributes.js';
import { writeImage, type ImageSource, type WriteImageOptions, type WrittenImage } from './write/write-image.js';

const NGFF_ORDER = ['t', 'c', 'z', 'y', 'x'];
const AXIS_TYPE: Record<string, Axis['type']> = { t: 'time', c: 'channel', z: 'space', y: 'space', x: 'space' };

export interface ConvertOptions extends Omit<WriteImageOptions, 'axes' | 'scale' | 'channels'> {
  /** Which series of a multi-series file (default 0). */
  series?: number;
  /** Physical pixel size per axis name, replacing what the file says (e.g. { z: 2, y: 0.65, x: 0.65 }). */
  pixelSize?: Partial<Record<string, number>>;
  /** Unit of the spatial axes given in `pixelSize` (NGFF/UDUNITS name, e.g. 'micrometer'). */
  unit?: string;
  /** Channel names and colours, replacing what the file says (entries may be partial). */
  channels?: ChannelDisplay[];
}

/** NGFF axes (in NGFF order) for a TIFF series, with units from its physical sizes. */
export function ngffAxes(series: TiffSeries): { axes: Axis[]; order: number[]; scale: number[] } {
  const unknown = series.axes.filter((a) => !NGFF_ORDER.includes(a));
  if (unknown.length) {
    throw new FairioError('UNSUPPORTED', `TIFF axes "${series.axes.join('')}" include ${unknown.join(', ')}, which OME-NGFF has no place for`);
  }
  // order[i] = index in the TIFF's axes of the i-th NGFF axis.
  const order = NGFF_ORDER.filter((a) => series.axes.includes(a)).map((a) => series.axes.indexOf(a));
  const axes = order.map((i) => {
    const name = series.axes[i];
    const unit = series.physicalSizes[name]?.unit;
    return { name, type: AXIS_TYPE[name], ...(unit && AXIS_TYPE[name] !== 'channel' ? { unit } : {}) };
  });
  const scale = order.map((i) => series.physicalSizes[series.axes[i]]?.value ?? 1);
  return { axes, order, scale };
}

/** An `ImageSource` over a TIFF series, in NGFF axis order. */
export function tiffSource(series: TiffSeries): ImageSource {
  const { order } = ngffAxes(series);
  const n = order.length;
  const shape = order.map((i) => series.shape[i]);
  const sampleAxis = series.samplesInterleaved ? series.axes.length - 3 : -1;
  // Axes that address planes, in the TIFF's own order, and their C-order strides.
  const planeAxes = series.axes.map((_, i) => i).filter((i) => i < series.axes.length - 2 && i !== sampleAxis);
  const planeStride = new Map<number, number>();
  let stride = 1;
  for (let k = planeAxes.length - 1; k >= 0; k--) {
    planeStride.set(planeAxes[k], stride);
    stride *= series.shape[planeAxes[k]];
  }
  const Array = DATA_TYPES[series.dtype].array;

  /** The (plane, sample) of every (t, c, z) position of a box, in C order of the NGFF axes. */
  function* planesOf(start: number[], stop: number[]): Generator<{ plane: number; sample: number }> {
    const pos = start.slice(0, n - 2);
    if (pos.some((p, k) => p >= stop[k])) return;
    for (;;) {
      let plane = 0;
      let sample = 0;
      pos.forEach((index, k) => {
        if (order[k] === sampleAxis) sample = index;
        else plane += index * planeStride.get(order[k])!;
      });
      yield { plane, sample };
      let d = n - 3;
      for (; d >= 0; d--) {
        if (++pos[d] < stop[d]) break;
        pos[d] = start[d];
      }
      if (d < 0) return;
    }
  }

  // Strip-organised files decode whole rows: blocks side by side share one full-width band per plane.
  const width = series.shape[series.shape.length - 1];
  const fullWidthStrips = series.tileShape[1] >= width;
  const bands = new Map<number, { y0: number; y1: number; data: TypedArray }>();
  // Bands that are done with, and blocks the writer hands back (`release`),
  // are filled again by the next band or block of the same size.
  const spare = new SpareArrays();
  const retire = (plane: number) => {
    const band = bands.get(plane);
    if (!band) return;
    bands.delete(plane);
    spare.give(band.data);
  };
  const spp = series.samplesPerPixel;

  const readWindow = async (plane: number, y0: number, y1: number, x0: number, x1: number): Promise<TypedArray> => {
    const length = (y1 - y0) * (x1 - x0) * spp;
    if (!fullWidthStrips || (x0 === 0 && x1 === width)) return series.readWindow(plane, y0, y1, x0, x1, spare.take(Array, length));
    let band = bands.get(plane);
    if (!band || band.y0 !== y0 || band.y1 !== y1) {
      retire(plane);
      const data = await series.readWindow(plane, y0, y1, 0, width, spare.take(Array, (y1 - y0) * width * spp));
      band = { y0, y1, data };
      bands.set(plane, band);
    }
    const full = band.data;
    const out = spare.take(Array, length);
    for (let y = 0; y < y1 - y0; y++) out.set(full.subarray((y * width + x0) * spp, (y * width + x1) * spp) as never, y * (x1 - x0) * spp);
    return out;
  };

  const readBox = async (start: number[], stop: number[]): Promise<TypedArray> => {
    const [y0, x0] = start.slice(n - 2);
    const [y1, x1] = stop.slice(n - 2);
    const area = (y1 - y0) * (x1 - x0);
    const planes = [...planesOf(start, stop)];
    // Blocks come in C order: a band of another row or of a plane this block does not touch is done with.
    const touched = new Set(planes.map((p) => p.plane));
    for (const [plane, band] of bands) if (band.y0 !== y0 || !touched.has(plane)) retire(plane);
    // One plane of one sample: the window is the block (its own array), no second copy.
    if (planes.length === 1 && spp === 1) return readWindow(planes[0].plane, y0, y1, x0, x1);
    const out = spare.take(Array, stop.reduce((size, s, i) => size * (s - start[i]), 1));
    let offset = 0;
    for (const { plane, sample } of planes) {
      const window = await readWindow(plane, y0, y1, x0, x1);
      if (spp === 1) out.set(window as never, offset);
      else for (let i = 0; i < area; i++) out[offset + i] = window[i * spp + sample];
      spare.give(window);
      offset += area;
    }
    return out;
  };

  // One read at a time, in the order asked (the writer asks in C order of the
  // block grid): a band is then never retired, and its buffer never refilled,
  // while another read still copies from it.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    shape,
    dtype: series.dtype,
    read(start, stop) {
      const next = queue.then(() => readBox(start, stop));
      queue = next.catch(() => undefined);
      return next;
    },
    release(data) {
      spare.give(data);
    },
  };
}

/** The user's pixel sizes and unit override the file's, axis by axis. */
function applyPixelSize(axes: Axis[], scale: number[], options: ConvertOptions, input: string): { axes: Axis[]; scale: number[] } {
  const given = options.pixelSize ?? {};
  for (const [name, value] of Object.entries(given)) {
    const axis = axes.find((a) => a.name === name);
    if (!axis || axis.type === 'channel') throw new FairioError('INVALID_ARGUMENT', `has no ${name} axis to give a pixel size to (axes: ${axes.map((a) => a.name).join(', ')})`, { path: input });
    if (!(value! > 0)) throw new FairioError('INVALID_ARGUMENT', `pixel size of ${name} must be positive, not ${value}`);
  }
  return {
    axes: axes.map((a) => (a.name in given && options.unit ? { ...a, unit: options.unit } : a)),
    scale: scale.map((s, i) => given[axes[i].name] ?? s),
  };
}

/** Convert one series of a TIFF file to OME-Zarr at `output` (atomically). */
export async function convertTiff(input: string, output: string, options: ConvertOptions = {}): Promise<WrittenImage & { axes: Axis[]; scale: number[] }> {
  const tiff = await openTiff(input);
  try {
    const index = options.series ?? 0;
    const series = tiff.series[index];
    if (!series) throw new FairioError('INVALID_ARGUMENT', `has ${tiff.series.length} series; there is no series ${index}`, { path: input });
    const ngff = ngffAxes(series);
    const { axes, scale } = applyPixelSize(ngff.axes, ngff.scale, options, input);
    const channelCount = series.axes.includes('c') ? series.shape[series.axes.indexOf('c')] : 1;
    if (options.channels && options.channels.length > channelCount) {
      throw new FairioError('INVALID_ARGUMENT', `${options.channels.length} channel names or colours given, but the image has ${channelCount} channel(s)`, { path: input });
    }
    const channels = Array.from({ length: channelCount }, (_, c) => ({
      label: options.channels?.[c]?.label ?? series.channelNames?.[c],
      color: options.channels?.[c]?.color ?? series.channelColors?.[c],
    }));
    const written = await writeImage(output, tiffSource(series), { ...options, axes, scale, channels, name: options.name ?? series.name });
    return { ...written, axes, scale };
  } finally {
    await tiff.close();
  }
}
