/**
 * Test images for the ops: arrays written as OME-Zarr with small chunks, the
 * shared sample TIFFs converted, the bundled synthetic sample, and masks
 * shaped to cross many block borders (spirals, combs, diagonal staircases).
 * The Python snippets read our outputs with zarr-python for the comparisons.
 */
import * as path from 'node:path';
import { arraySource, convertTiff, sampleOmeXml, syntheticSample, writeImage, writeTiff, type Axis, type DataType, type TypedArray } from '@fairio/ngff';
import { shared } from '../../../../tests/helpers/reference.js';

/** Axes from letters, e.g. 'tczyx'; spatial axes in micrometres. */
export function axesOf(names: string): Axis[] {
  return names.split('').map((name) =>
    name === 't' ? { name, type: 'time', unit: 'second' } : name === 'c' ? { name, type: 'channel' } : { name, type: 'space', unit: 'micrometer' },
  );
}

export async function writeArray(
  dest: string,
  data: TypedArray,
  shape: number[],
  dtype: DataType,
  axes: string,
  options: { chunks?: number[]; scale?: number[]; translation?: number[]; ngff?: '0.4' | '0.5'; label?: boolean } = {},
): Promise<string> {
  await writeImage(dest, arraySource(data, shape, dtype), {
    axes: axesOf(axes),
    chunks: options.chunks,
    scale: options.scale,
    translation: options.translation,
    ngff: options.ngff,
    imageLabel: options.label ? {} : undefined,
    workers: 0,
  });
  return dest;
}

/** One of the shared sample TIFFs as OME-Zarr with the given chunks (per NGFF axis). */
export async function sharedSample(dir: string, name: string, chunks?: number[]): Promise<string> {
  const out = path.join(dir, `${name}.ome.zarr`);
  await convertTiff(shared('samples', 'tiff', name), out, { chunks, workers: 0 });
  return out;
}

/** The bundled synthetic sample (c, z, y, x: DAPI and GFP) as OME-Zarr with y/x chunks of `chunk`. */
export async function syntheticZarr(dir: string, options: { size?: number; depth?: number; chunk?: number } = {}): Promise<string> {
  const sample = syntheticSample({ width: options.size ?? 512, height: options.size ?? 512, depth: options.depth ?? 4 });
  const tiff = path.join(dir, 'synthetic.ome.tiff');
  await writeTiff(tiff, sample.planes(), {
    width: sample.width,
    height: sample.height,
    dtype: 'uint16',
    planeCount: sample.depth * sample.channels.length,
    description: sampleOmeXml(sample, 'fairio synthetic nuclei'),
  });
  const out = path.join(dir, 'synthetic.ome.zarr');
  const chunk = options.chunk ?? 32;
  await convertTiff(tiff, out, { chunks: [1, 1, chunk, chunk], workers: 0 });
  return out;
}

/**
 * A 2-D mask (height × width) holding: a square spiral of 1-pixel lines (one
 * object winding through many blocks), a comb whose teeth cross every block
 * row, and two diagonal staircases that connect only through block corners
 * (separate pixels with connectivity 1, one object each with 2).
 */
export function borderCrossingMask(height: number, width: number): Uint8Array {
  const mask = new Uint8Array(height * width);
  const set = (y: number, x: number) => {
    if (y >= 0 && y < height && x >= 0 && x < width) mask[y * width + x] = 1;
  };
  // Spiral in the left half: walk inwards along the sides of shrinking squares.
  const half = Math.floor(width / 2);
  let top = 2;
  let left = 2;
  let bottom = height - 3;
  let right = half - 3;
  let y = top;
  let x = left;
  while (top < bottom && left < right) {
    for (; x <= right; x++) set(y, x);
    x = right;
    for (; y <= bottom; y++) set(y, x);
    y = bottom;
    for (; x >= left; x--) set(y, x);
    x = left;
    top += 3;
    for (; y >= top; y--) set(y, x);
    y = top;
    left += 3;
    right -= 3;
    bottom -= 3;
  }
  // Comb in the right half: a backbone near the bottom, teeth every 6 pixels.
  for (let xx = half + 2; xx < width - 2; xx++) set(height - 6, xx);
  for (let xx = half + 2; xx < width - 2; xx += 6) for (let yy = 4; yy < height - 6; yy++) set(yy, xx);
  // Staircases through block corners, across the whole image.
  for (let i = 0; i < Math.min(height, width); i += 1) {
    set(i, i);
    set(i, width - 1 - i);
  }
  return mask;
}

/** Seeded uniform random numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Python: read level 0 of an OME-Zarr (and its axes and attributes) with zarr-python. */
export const PY_LEVEL0 = `
import json, sys, numpy as np, zarr
def level0(path):
    group = zarr.open_group(path, mode='r')
    attrs = group.attrs.asdict()
    ome = attrs.get('ome') or attrs
    ms = ome['multiscales'][0]
    return group[ms['datasets'][0]['path']][...], ms['axes'], ome, ms
def spatial_count(axes):
    return sum(1 for a in axes if a.get('type') == 'space')
`;
