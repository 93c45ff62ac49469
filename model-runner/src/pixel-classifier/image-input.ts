/**
 * The images the pixel classifier reads — an OME-Zarr image (level 0) or a
 * TIFF / OME-TIFF series — seen the same way: a 5D box reader in the
 * canonical order t, c, z, y, x (absent axes have size 1), so features,
 * training and prediction never care where pixels come from. Reads are
 * boxes, so memory stays bounded by the block size.
 */
import * as fs from 'node:fs';
import { FairioError, openOmeZarr, openTiff, readBox, tiffSource, ngffAxes, type Axis, type TypedArray } from '@fairio/ngff';

export const CANONICAL = ['t', 'c', 'z', 'y', 'x'] as const;

export interface ImageInput {
  location: string;
  /** The image's own axes (NGFF names, in NGFF order). */
  axes: Axis[];
  /** Physical pixel size per own axis. */
  scale: number[];
  /** Size along t, c, z, y, x (1 where the image has no such axis). */
  shape5: number[];
  dtype: string;
  /** Chunk shape along t, c, z, y, x (TIFF: planes of 512 × 512). */
  chunks5: number[];
  /** Channel names and colours when the file says. */
  channelNames?: string[];
  /** Pixels of the 5D box [start, stop) (canonical order), C order. */
  read(start: number[], stop: number[]): Promise<TypedArray>;
  close(): Promise<void>;
}

/** Positions of the image's own axes in t, c, z, y, x. */
function canonicalIndex(names: string[], location: string): number[] {
  return names.map((name) => {
    const i = (CANONICAL as readonly string[]).indexOf(name);
    if (i < 0) throw new FairioError('UNSUPPORTED', `axis "${name}" is not one of t, c, z, y, x`, { path: location });
    return i;
  });
}

function wrap(location: string, axes: Axis[], shape: number[], chunks: number[], scale: number[], dtype: string, readOwn: (start: number[], stop: number[]) => Promise<TypedArray>, close: () => Promise<void>, channelNames?: string[]): ImageInput {
  const names = axes.map((a) => a.name);
  const index = canonicalIndex(names, location);
  if (!names.includes('y') || !names.includes('x')) throw new FairioError('UNSUPPORTED', `the image needs y and x axes, not ${names.join(', ')}`, { path: location });
  for (let i = 1; i < index.length; i++) {
    if (index[i] <= index[i - 1]) throw new FairioError('UNSUPPORTED', `axes ${names.join(', ')} are not in t, c, z, y, x order`, { path: location });
  }
  const shape5 = [1, 1, 1, 1, 1];
  const chunks5 = [1, 1, 1, 1, 1];
  index.forEach((c, i) => {
    shape5[c] = shape[i];
    chunks5[c] = chunks[i];
  });
  return {
    location,
    axes,
    scale,
    shape5,
    chunks5,
    dtype,
    channelNames,
    read: (start, stop) => readOwn(index.map((c) => start[c]), index.map((c) => stop[c])),
    close,
  };
}

/** Open an OME-Zarr image (folder, .zip or URL) or a TIFF / OME-TIFF file. */
export async function openImageInput(location: string): Promise<ImageInput> {
  const isTiff = /\.(ome\.)?tiff?$/i.test(location) && fs.existsSync(location) && fs.statSync(location).isFile();
  if (isTiff) {
    const tiff = await openTiff(location);
    try {
      const series = tiff.series[0];
      const { axes, scale } = ngffAxes(series);
      const source = tiffSource(series);
      const chunks = source.shape.map((s, i) => (i >= source.shape.length - 2 ? Math.min(s, 512) : 1));
      return wrap(location, axes, source.shape, chunks, scale, source.dtype, (a, b) => source.read(a, b), () => tiff.close(), series.channelNames);
    } catch (error) {
      await tiff.close();
      throw error;
    }
  }
  const group = await openOmeZarr(location);
  const image = await group.image();
  const level = image.levels[0];
  const where = `${group.store.location.replace(/\/+$/, '')}/${level.path}`;
  const names = image.omero?.channels?.map((c) => c.label ?? '') ;
  return wrap(location, image.axes, level.shape, level.chunks, level.scale, level.dtype, async (a, b) => (await readBox(level.array, a, b, where)) as TypedArray, async () => undefined, names);
}

/** Pixels of a box as float32, one array per channel (the box is [1, C, Z, Y, X]). */
export function channelsOf(data: TypedArray, channels: number): Float32Array[] {
  const per = data.length / channels;
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const f = new Float32Array(per);
    for (let i = 0; i < per; i++) f[i] = Number(data[c * per + i]);
    out.push(f);
  }
  return out;
}
