/**
 * The classifier's outputs as ngff `ImageSource`s, handed to `writeImage`:
 * features (one channel per feature), class probabilities (one channel per
 * class) or the segmentation (a label image, class values 1..K). Each
 * `read(start, stop)` computes exactly that block through a `BlockRunner`,
 * so writing any size of image holds only the blocks in flight.
 */
import { FairioError, type Axis, type DataType, type ImageSource } from '@fairio/ngff';
import { CANONICAL } from '../image-input.js';
import type { BlockRunner } from './runner.js';

export type OutputKind = 'features' | 'probabilities' | 'segmentation';

export interface OutputLayout {
  axes: Axis[];
  shape: number[];
  chunks: number[];
  scale: number[];
  dtype: DataType;
}

/** Block shape along z, y, x for computing (and writing) outputs. */
export function computeBlockShape(runner: BlockRunner, kind: OutputKind): number[] {
  const [, , Z, Y, X] = runner.image.shape5;
  const yx = kind === 'features' ? 256 : 512;
  if (runner.spatialDims === 2) return [1, Math.min(Y, yx), Math.min(X, yx)];
  if (runner.selection.in2d) return [1, Math.min(Y, yx), Math.min(X, yx)];
  return [Math.min(Z, 64), Math.min(Y, 128), Math.min(X, 128)];
}

/** Axes, shape and chunks of an output: the input's axes, with c holding classes or features (none for the segmentation). */
export function outputLayout(runner: BlockRunner, kind: OutputKind, channels: number): OutputLayout {
  const image = runner.image;
  const block = computeBlockShape(runner, kind);
  const own = image.axes.filter((a) => a.name !== 'c');
  const ownScale = image.scale.filter((_, i) => image.axes[i].name !== 'c');
  const axes: Axis[] = [];
  const scale: number[] = [];
  if (kind !== 'segmentation') {
    const at = own.findIndex((a) => a.name !== 't');
    const cAt = at < 0 ? own.length : at;
    own.forEach((a, i) => {
      if (i === cAt) {
        axes.push({ name: 'c', type: 'channel' });
        scale.push(1);
      }
      axes.push(a);
      scale.push(ownScale[i]);
    });
  } else {
    axes.push(...own);
    scale.push(...ownScale);
  }
  const size = (name: string) => (name === 'c' ? channels : image.shape5[CANONICAL.indexOf(name as never)]);
  const chunkOf = (name: string) => ({ t: 1, c: channels, z: block[0], y: block[1], x: block[2] })[name] ?? 1;
  return {
    axes,
    shape: axes.map((a) => size(a.name)),
    chunks: axes.map((a) => chunkOf(a.name)),
    scale,
    dtype: kind === 'segmentation' ? 'uint8' : 'float32',
  };
}

/** An ImageSource computing `kind` block by block. */
export function classifierSource(runner: BlockRunner, kind: OutputKind, layout: OutputLayout, onBlock?: () => void): ImageSource {
  const names = layout.axes.map((a) => a.name);
  const at = (name: string, values: number[], fallback: number) => (names.includes(name) ? values[names.indexOf(name)] : fallback);
  return {
    shape: layout.shape,
    dtype: layout.dtype,
    async read(start, stop) {
      const t0 = at('t', start, 0);
      if (at('t', stop, 1) - t0 !== 1) throw new FairioError('INVALID_ARGUMENT', 'blocks must hold one time point');
      if (names.includes('c') && (at('c', start, 0) !== 0 || at('c', stop, 0) !== layout.shape[names.indexOf('c')])) {
        throw new FairioError('INVALID_ARGUMENT', 'blocks must hold every channel');
      }
      const lo = ['z', 'y', 'x'].map((n) => at(n, start, 0));
      const hi = ['z', 'y', 'x'].map((n) => at(n, stop, 1));
      const result = await runner.run(kind, t0, lo, hi);
      onBlock?.();
      return result;
    },
  };
}
