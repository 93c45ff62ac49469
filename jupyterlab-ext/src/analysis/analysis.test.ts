// The pure parts of analysis from the viewer: overlay colours, a model output
// as planes, the run folder's name, and the extension version the crate names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colormapLut, overlayPixels, valueRange } from './overlay.js';
import { toPlanes } from './planes.js';
import { runFolderName } from './save.js';
import { EXTENSION } from '../version.js';
import type { TensorSpec } from '@fairio/model-runner/browser';

const axis = (id: string, type: 'batch' | 'channel' | 'space') => ({ id, type, size: { kind: 'any' as const }, halo: 0, scale: 1 });
const spec = (axes: ReturnType<typeof axis>[]): TensorSpec => ({ id: 'out', axes, dtype: 'float32', processing: [], pad: { mode: 'symmetric', value: 0 } });

describe('analysis overlay and output', () => {
  it('maps probabilities through the colormap ([0, 1] kept), labels through their class colours (0 transparent)', () => {
    const lut = colormapLut('gray');
    expect([lut[0], lut[255 * 3]]).toEqual([0, 255]);
    expect(valueRange(new Float32Array([0.2, 0.7]), 0, 2)).toEqual([0, 1]);
    expect(valueRange(new Float32Array([-2, 6]), 0, 2)).toEqual([-2, 6]);
    const probability = overlayPixels({ kind: 'probability', data: new Float32Array([0, 1, 0.5, NaN]), channels: 1, height: 2, width: 2, details: {} }, 0, 'gray');
    expect(Array.from(probability.rgba)).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 0]);
    const labels = overlayPixels({ kind: 'labels', data: new Uint8Array([0, 1, 2, 0]), channels: 1, height: 1, width: 4, classColors: [[255, 0, 0], [0, 0, 255]], details: {} }, 0, 'magma');
    expect(Array.from(labels.rgba)).toEqual([0, 0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0]);
  });

  it('turns a model output (batch, channel, y, x or y, x, channel) into channel × y × x', () => {
    const bcyx = { data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [1, 2, 2, 3], dtype: 'float32' as const };
    expect(Array.from(toPlanes(bcyx, spec([axis('batch', 'batch'), axis('channel', 'channel'), axis('y', 'space'), axis('x', 'space')]), 2, 3).data)).toEqual(Array.from(bcyx.data));
    const yxc = { data: Float32Array.from([0, 10, 1, 11, 2, 12, 3, 13]), shape: [2, 2, 2], dtype: 'float32' as const };
    const planes = toPlanes(yxc, spec([axis('y', 'space'), axis('x', 'space'), axis('channel', 'channel')]), 2, 2);
    expect([planes.channels, ...planes.data]).toEqual([2, 0, 1, 2, 3, 10, 11, 12, 13]);
    expect(() => toPlanes(yxc, spec([axis('y', 'space'), axis('x', 'space'), axis('channel', 'channel')]), 4, 4)).toThrow(/only outputs aligned pixel for pixel/);
  });

  it('names run folders after the image and the UTC time; the version is package.json\'s', () => {
    const when = new Date('2026-12-02T03:04:05.678Z');
    expect(runFolderName('nuclei.ome.zarr', '', when)).toBe('nuclei.ome.zarr.analysis-20261202-030405');
    expect(runFolderName('plate.zarr', 'A/1/0', when)).toBe('plate.zarr_A_1_0.analysis-20261202-030405');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'package.json'), 'utf8')) as { name: string; version: string };
    expect(EXTENSION).toEqual({ name: pkg.name, version: pkg.version });
  });
});
