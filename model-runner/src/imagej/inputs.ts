/**
 * Images as ImageJ opens them. A plain or ImageJ TIFF goes to ImageJ as it
 * is, so a macro sees exactly what ImageJ shows when it opens that file by
 * hand. An OME-Zarr (a chosen pyramid level and region), and a TIFF whose
 * axes or calibration ImageJ 1.x cannot read (OME-TIFF, SCIFIO, tifffile's
 * shaped stacks) are written to a temporary ImageJ hyperstack TIFF,
 * plane by plane, with its calibration the way ImageJ keeps it: pixel width
 * and height in the resolution tags (pixels per unit, unit none), `unit=`,
 * `spacing=` (z) and `finterval=` (t) in the ImageJ description.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError, isUrl, openOmeZarr, openTiff, tiffSource, ngffAxes, writeTiff, type AxisSelection, type TypedArray } from '@fairio/ngff';

/** Pixel types ImageJ 1.x works in; others become 32-bit float. */
const IMAGEJ_TYPES = new Set(['uint8', 'uint16', 'float32']);
const HYPERSTACK_ORDER = ['t', 'z', 'c'];

/** NGFF unit names → the names ImageJ writes and understands. */
const IMAGEJ_UNITS: Record<string, string> = {
  micrometer: 'micron', nanometer: 'nm', millimeter: 'mm', centimeter: 'cm', meter: 'm', angstrom: 'Å', inch: 'inch',
  second: 'sec', millisecond: 'ms', microsecond: 'µs', nanosecond: 'ns', minute: 'min', hour: 'hour',
};

/** An image given to ImageJ, in NGFF axis order (a subset of t, c, z, y, x). */
export interface PlaneSource {
  axes: string[];
  shape: number[];
  dtype: string;
  /** Physical size of one pixel per axis (1 when unknown). */
  scale: number[];
  /** Unit per axis, NGFF names. */
  units: (string | undefined)[];
  /** One y-x plane at the given index along each leading axis. */
  readPlane(position: Record<string, number>): Promise<TypedArray>;
}

export interface PreparedInput {
  /** What ImageJ opens. */
  tiff: string;
  /** The input's name without its extensions, for the output folder. */
  stem: string;
  /** 'tiff-converted': an OME-TIFF, SCIFIO or tifffile-shaped TIFF rewritten as an ImageJ TIFF. */
  kind: 'tiff' | 'tiff-converted' | 'ome-zarr';
}

export interface InputOptions {
  /** OME-Zarr pyramid level (0 = full resolution). */
  level?: number;
  /** OME-Zarr region per axis: an index, or a half-open [start, stop). */
  region?: Record<string, AxisSelection>;
}

/** `z=10 c=0 y=0:512 x=256:768` → a region request. */
export function parseRegion(text: string | undefined): Record<string, AxisSelection> | undefined {
  if (!text?.trim()) return undefined;
  const out: Record<string, AxisSelection> = {};
  for (const part of text.trim().split(/[\s,;]+/)) {
    const m = part.match(/^([A-Za-z]\w*)=(\d+)(?::(\d+))?$/);
    if (!m) throw new FairioError('INVALID_ARGUMENT', `imagej-macro: region "${part}" is not axis=index or axis=start:stop (e.g. "z=10 y=0:512")`);
    out[m[1]] = m[3] === undefined ? Number(m[2]) : [Number(m[2]), Number(m[3])];
  }
  return out;
}

/** The name of an input without its image extensions. */
export function inputStem(input: string): string {
  const base = path.basename(input.replace(/[/\\]+$/, ''));
  return base.replace(/(\.ome)?\.(zarr|tiff?|btf)$/i, '') || 'image';
}

export function isOmeZarrPath(input: string): boolean {
  if (isUrl(input)) return true;
  return /\.zarr\/?$/i.test(input) || (fs.existsSync(input) && fs.statSync(input).isDirectory());
}

/** The ImageJ description (`ImageJ=` header) for a hyperstack with this layout and calibration. */
export function imagejDescription(source: Pick<PlaneSource, 'axes' | 'shape' | 'scale' | 'units'>): string {
  const size = (a: string) => (source.axes.includes(a) ? source.shape[source.axes.indexOf(a)] : 1);
  const [c, z, t] = [size('c'), size('z'), size('t')];
  const lines = ['ImageJ=1.53t', `images=${c * z * t}`];
  if (c > 1) lines.push(`channels=${c}`);
  if (z > 1) lines.push(`slices=${z}`);
  if (t > 1) lines.push(`frames=${t}`);
  if ([c, z, t].filter((n) => n > 1).length > 1) lines.push('hyperstack=true');
  if (c > 1) lines.push('mode=grayscale');
  const unitOf = (a: string) => source.units[source.axes.indexOf(a)];
  const spatial = unitOf('x') ?? unitOf('y');
  if (spatial) lines.push(`unit=${IMAGEJ_UNITS[spatial] ?? spatial}`);
  if (source.axes.includes('z')) lines.push(`spacing=${source.scale[source.axes.indexOf('z')]}`);
  if (source.axes.includes('t')) {
    lines.push(`finterval=${source.scale[source.axes.indexOf('t')]}`);
    const tunit = unitOf('t');
    if (tunit) lines.push(`tunit=${IMAGEJ_UNITS[tunit] ?? tunit}`);
  }
  lines.push('loop=false');
  return `${lines.join('\n')}\n`;
}

/** Write a plane source as an ImageJ hyperstack TIFF (planes in ImageJ's order: c fastest, then z, then t). */
export async function writeImageJTiff(file: string, source: PlaneSource): Promise<void> {
  const unknown = source.axes.filter((a) => !['t', 'c', 'z', 'y', 'x'].includes(a));
  if (unknown.length || !source.axes.includes('y') || !source.axes.includes('x')) {
    throw new FairioError('UNSUPPORTED', `axes ${source.axes.join(', ')} cannot be given to ImageJ (it knows t, c, z, y, x)`);
  }
  const size = (a: string) => (source.axes.includes(a) ? source.shape[source.axes.indexOf(a)] : 1);
  const width = size('x');
  const height = size('y');
  const dtype = IMAGEJ_TYPES.has(source.dtype) ? (source.dtype as 'uint8' | 'uint16' | 'float32') : 'float32';
  async function* planes(): AsyncGenerator<TypedArray> {
    const [nt, nz, nc] = HYPERSTACK_ORDER.map(size);
    for (let t = 0; t < nt; t++) {
      for (let z = 0; z < nz; z++) {
        for (let c = 0; c < nc; c++) {
          const plane = await source.readPlane({ t, z, c });
          yield dtype === source.dtype ? plane : Float32Array.from(plane as ArrayLike<number>);
        }
      }
    }
  }
  const scale = (a: string) => source.scale[source.axes.indexOf(a)];
  const calibrated = source.units[source.axes.indexOf('x')] !== undefined || scale('x') !== 1 || scale('y') !== 1;
  await writeTiff(file, planes(), {
    width,
    height,
    dtype,
    planeCount: size('c') * size('z') * size('t'),
    description: imagejDescription(source),
    ...(calibrated ? { resolution: { x: 1 / scale('x'), y: 1 / scale('y') } } : {}),
  });
}

/** A level and region of an OME-Zarr image, read plane by plane. */
async function omeZarrSource(location: string, options: InputOptions): Promise<PlaneSource> {
  let group = await openOmeZarr(location);
  if (group.kind === 'bioformats2raw') {
    const [first] = await group.seriesPaths();
    if (first === undefined) throw new FairioError('NOT_FOUND', 'is a bioformats2raw container without image series', { path: location });
    group = await group.child(first);
  }
  const image = await group.image();
  const { level, start, stop } = image.resolveRegion({ level: options.level ?? 0, select: options.region });
  const names = image.axisNames;
  return {
    axes: names,
    shape: stop.map((s, i) => s - start[i]),
    dtype: level.dtype,
    scale: level.scale,
    units: image.axes.map((a) => a.unit),
    async readPlane(position) {
      const select: Record<string, AxisSelection> = {};
      names.forEach((name, i) => {
        select[name] = name === 'y' || name === 'x' ? [start[i], stop[i]] : start[i] + (position[name] ?? 0);
      });
      const { data } = await image.readRegion({ level: level.index, select });
      if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
      return data;
    },
  };
}

/** The first series of a TIFF, read plane by plane. */
async function tiffPlaneSource(file: string): Promise<{ source: PlaneSource; close: () => Promise<void> }> {
  const tiff = await openTiff(file);
  const series = tiff.series[0];
  const { axes, scale } = ngffAxes(series);
  const reader = tiffSource(series);
  const names = axes.map((a) => a.name);
  return {
    source: {
      axes: names,
      shape: reader.shape,
      dtype: reader.dtype,
      scale,
      units: axes.map((a) => a.unit),
      async readPlane(position) {
        const begin = names.map((n) => (n === 'y' || n === 'x' ? 0 : (position[n] ?? 0)));
        const end = names.map((n, i) => (n === 'y' || n === 'x' ? reader.shape[i] : begin[i] + 1));
        return (await reader.read(begin, end)) as TypedArray;
      },
    },
    close: () => tiff.close(),
  };
}

/**
 * Make `input` something ImageJ opens, in `dir`: a TIFF ImageJ reads is
 * linked under a name safe for the job file; an OME-Zarr or another TIFF is
 * written as an ImageJ TIFF named after it.
 */
export async function prepareInput(input: string, dir: string, options: InputOptions = {}): Promise<PreparedInput> {
  const stem = inputStem(input);
  // ImageJ shows the file name as the image title; keep it, less what the job file or ImageJ's option syntax cannot carry.
  const safe = (name: string) => name.replace(/[\t\r\n\0[\]]/g, '_');
  fs.mkdirSync(dir, { recursive: true });
  if (isOmeZarrPath(input)) {
    const tiff = path.join(dir, `${safe(stem)}.tif`);
    await writeImageJTiff(tiff, await omeZarrSource(input, options));
    return { tiff, stem, kind: 'ome-zarr' };
  }
  const probe = await openTiff(input);
  const [first] = probe.series;
  // ImageJ 1.x reads plain and ImageJ TIFFs itself; OME-XML, SCIFIO's per-axis scales and tifffile's axes it does not know.
  const foreign = probe.omeXml !== undefined || (probe.imagejMetadata !== undefined && 'SCIFIO' in probe.imagejMetadata) || (first?.kind === 'shaped' && first.axes.length > 2);
  await probe.close();
  if (foreign) {
    const tiff = path.join(dir, `${safe(stem)}.tif`);
    const { source, close } = await tiffPlaneSource(input);
    try {
      await writeImageJTiff(tiff, source);
    } finally {
      await close();
    }
    return { tiff, stem, kind: 'tiff-converted' };
  }
  const tiff = path.join(dir, safe(path.basename(input)));
  fs.symlinkSync(path.resolve(input), tiff);
  return { tiff, stem, kind: 'tiff' };
}
