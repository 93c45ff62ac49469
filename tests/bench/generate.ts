/**
 * The benchmark's input: a deterministic uint16 z-stack written with fairio's
 * streaming TIFF writer (strips, uncompressed, as microscopes and Fiji write
 * them), with an ImageJ header so every reader sees the axes as z, y, x.
 *
 * Pixels look like fluorescence: a smooth background that drifts with z,
 * bright Gaussian "nuclei" and noise of a few grey levels, so that blosc-zstd
 * compresses about as well (and as slowly) as it does on real data, not like
 * on a constant or on white noise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTiff } from '@fairio/ngff';

export interface InputSpec {
  width: number;
  height: number;
  planes: number;
}

/** Bumped whenever the pixels or the file layout change (2: written by the writer with contiguous ImageJ pixel data), so that a cached file is never stale. */
const GENERATOR_VERSION = 2;

export function inputFileName(spec: InputSpec): string {
  return `input-v${GENERATOR_VERSION}-${spec.planes}x${spec.height}x${spec.width}-uint16.tif`;
}

/** A small, fast, seeded PRNG (xorshift32); returns uint32 values. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

interface Blob {
  x: number;
  y: number;
  z: number;
  radius: number;
  peak: number;
}

function* planesOf(spec: InputSpec): Generator<Uint16Array> {
  const { width, height, planes } = spec;
  const random = xorshift(20240611);
  const uniform = () => random() / 2 ** 32;
  // About one nucleus per 160×160 pixels, spread through the stack.
  const blobs: Blob[] = Array.from({ length: Math.round((width * height) / (160 * 160)) }, () => ({
    x: uniform() * width,
    y: uniform() * height,
    z: uniform() * planes,
    radius: 12 + uniform() * 20,
    peak: 800 + uniform() * 2500,
  }));
  // Separable smooth background: 300 + row and column waves, drifting with z.
  const rowWave = new Float64Array(height);
  const colWave = new Float64Array(width);
  // A table of noise values (sum of two uniforms ≈ triangular, ±12 grey levels) that a
  // cheap index walks through, so noise costs an add per pixel, not a PRNG call.
  const noise = new Int16Array(1 << 20);
  for (let i = 0; i < noise.length; i++) noise[i] = ((random() & 0xfff) + (random() & 0xfff)) / 341 - 12;
  for (let z = 0; z < planes; z++) {
    const phase = (z / Math.max(1, planes)) * Math.PI;
    for (let y = 0; y < height; y++) rowWave[y] = 120 * Math.sin((y / height) * 3 * Math.PI + phase);
    for (let x = 0; x < width; x++) colWave[x] = 90 * Math.cos((x / width) * 5 * Math.PI - phase);
    const plane = new Uint16Array(width * height);
    let n = random() & (noise.length - 1);
    for (let y = 0; y < height; y++) {
      const base = 300 + rowWave[y];
      const row = y * width;
      for (let x = 0; x < width; x++) {
        plane[row + x] = base + colWave[x] + noise[n];
        n = (n + 7919) & (noise.length - 1);
      }
    }
    for (const b of blobs) {
      const dz = (z - b.z) / (b.radius / 2);
      if (Math.abs(dz) > 2.5) continue;
      const peak = b.peak * Math.exp(-dz * dz);
      const r = Math.ceil(b.radius * 2);
      const two = 2 * (b.radius / 1.6) ** 2;
      for (let y = Math.max(0, Math.floor(b.y - r)); y < Math.min(height, b.y + r); y++) {
        for (let x = Math.max(0, Math.floor(b.x - r)); x < Math.min(width, b.x + r); x++) {
          const d2 = (x - b.x) ** 2 + (y - b.y) ** 2;
          const i = y * width + x;
          plane[i] = Math.min(65535, plane[i] + peak * Math.exp(-d2 / two));
        }
      }
    }
    yield plane;
  }
}

/**
 * The input TIFF for `spec` in `dir`, written once and reused while the
 * generator is unchanged. Returns its path.
 */
export async function ensureInput(dir: string, spec: InputSpec, log: (line: string) => void = () => undefined): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, inputFileName(spec));
  if (fs.existsSync(file)) return file;
  // Older inputs (other sizes or generator versions) are removed: they are large.
  for (const name of fs.readdirSync(dir)) if (/^input-v\d+-.*\.tif$/.test(name)) fs.rmSync(path.join(dir, name));
  const gib = (spec.planes * spec.width * spec.height * 2) / 2 ** 30;
  log(`generating ${file} (${spec.planes} × ${spec.height} × ${spec.width} uint16, ${gib.toFixed(2)} GiB)`);
  const started = performance.now();
  await writeTiff(file, planesOf(spec), {
    width: spec.width,
    height: spec.height,
    dtype: 'uint16',
    planeCount: spec.planes,
    description: `ImageJ=1.54f\nimages=${spec.planes}\nslices=${spec.planes}\nloop=false\n`,
  });
  log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}
