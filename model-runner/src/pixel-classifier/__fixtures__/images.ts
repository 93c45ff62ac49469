/**
 * Test helpers: crops of the real sample images in ../shared/data as float
 * pixels, and the vigra / scikit-learn reference (reference.py, run with the
 * system Python) on raw files in a temporary folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTiff, tiffSource } from '@fairio/ngff';
import { shared } from '../../../../tests/helpers/reference.js';
import { systemPythonJson } from '../../../../tests/helpers/system-python.js';

export const referenceScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference.py');

export interface SampleImage {
  data: Float32Array;
  /** Spatial shape: [y, x] or [z, y, x]. */
  shape: number[];
}

/** Pixels [start, stop) of the spatial axes of a single-channel sample TIFF. */
export async function sampleCrop(name: string, start: number[], stop: number[]): Promise<SampleImage> {
  const tiff = await openTiff(shared('samples', 'tiff', name));
  try {
    const source = tiffSource(tiff.series[0]);
    const lead = source.shape.length - start.length;
    const raw = await source.read([...new Array(lead).fill(0), ...start], [...new Array(lead).fill(1), ...stop]);
    return { data: Float32Array.from(raw as ArrayLike<number>), shape: stop.map((s, i) => s - start[i]) };
  } finally {
    await tiff.close();
  }
}

/** A 3D stack repeated `times` along z, every other copy mirrored, so the largest scales fit along z. */
export function mirrorZ(image: SampleImage, times = 2): SampleImage {
  const [nz, ny, nx] = image.shape;
  const plane = ny * nx;
  const data = new Float32Array(image.data.length * times);
  for (let k = 0; k < times; k++) {
    for (let z = 0; z < nz; z++) {
      const from = k % 2 === 0 ? z : nz - 1 - z;
      data.set(image.data.subarray(from * plane, (from + 1) * plane), (k * nz + z) * plane);
    }
  }
  return { data, shape: [times * nz, ny, nx] };
}

export function tempDir(prefix = 'fairio-pc-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readFloat32(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
}

/** vigra's features of one single-channel image, planar in the order of `features`. */
export async function vigraFeatures(image: SampleImage, features: [string, number][], options: { float64?: boolean; in2d?: boolean } = {}): Promise<Float32Array> {
  const dir = tempDir();
  try {
    fs.writeFileSync(path.join(dir, 'image.f32'), image.data);
    fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ features, ...options }));
    await systemPythonJson(`import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')`, [
      referenceScript, 'features', path.join(dir, 'image.f32'), image.shape.join(','), path.join(dir, 'out.f32'), path.join(dir, 'spec.json'),
    ]);
    return readFloat32(path.join(dir, 'out.f32'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sparse "scribbles" on a 2D image: short horizontal strokes every 16 rows,
 * each pixel labelled by the brightness of the image smoothed at σ = 2
 * (1 dark background, 2 dim, 3 bright), the strokes alternating between a
 * training set and a held-out set.
 */
export function scribbles(image: SampleImage, smoothed: Float32Array, thresholds = [28, 75]): { train: Uint8Array; heldOut: Uint8Array } {
  const [ny, nx] = image.shape;
  const train = new Uint8Array(ny * nx);
  const heldOut = new Uint8Array(ny * nx);
  let stroke = 0;
  for (let y = 6; y < ny; y += 16) {
    for (let x0 = (y * 7) % 24; x0 + 12 <= nx; x0 += 24) {
      const target = stroke++ % 2 === 0 ? train : heldOut;
      for (let x = x0; x < x0 + 12; x++) {
        const v = smoothed[y * nx + x];
        target[y * nx + x] = v < thresholds[0] ? 1 : v < thresholds[1] ? 2 : 3;
      }
    }
  }
  return { train, heldOut };
}

/** vigra features + scikit-learn forest on the same labels (reference.py pipeline). */
export async function referencePipeline(image: SampleImage, train: Uint8Array, heldOut: Uint8Array, features: [string, number][], options: { trees?: number; seed?: number; jobs?: number } = {}) {
  const dir = tempDir();
  try {
    const file = (name: string) => path.join(dir, name);
    fs.writeFileSync(file('image.f32'), image.data);
    fs.writeFileSync(file('train.u8'), train);
    fs.writeFileSync(file('held.u8'), heldOut);
    fs.writeFileSync(file('spec.json'), JSON.stringify({ features, trees: options.trees ?? 100, seed: options.seed ?? 0, jobs: options.jobs ?? 1 }));
    const summary = await systemPythonJson<{ heldOutAccuracy: number; featureSeconds: number; trainSeconds: number; predictSeconds: number; peakRssMiB: number }>(
      `import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')`,
      [referenceScript, 'pipeline', file('image.f32'), image.shape.join(','), file('train.u8'), file('held.u8'), file('ref'), file('spec.json')],
    );
    return { ...summary, labels: new Uint8Array(fs.readFileSync(file('ref.labels.u8'))) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
