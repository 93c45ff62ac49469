/** A model's output as the overlay shows it (pure; used by the model worker). */
import { FairioError } from '@fairio/ngff/browser';
import type { NdArray, TensorSpec } from '@fairio/model-runner/browser';

/** A model output (its own axes) as C × H × W float32; batch and other singleton axes dropped. */
export function toPlanes(output: NdArray, spec: TensorSpec, height: number, width: number): { data: Float32Array; channels: number } {
  const ids = spec.axes.map((a) => a.id);
  const ci = spec.axes.findIndex((a) => a.type === 'channel');
  const yi = ids.indexOf('y');
  const xi = ids.indexOf('x');
  if (yi < 0 || xi < 0) throw new FairioError('UNSUPPORTED', `output "${spec.id}" has no y and x axes (axes: ${ids.join(', ')}); it cannot be shown over the image`);
  if (output.shape[yi] !== height || output.shape[xi] !== width) {
    throw new FairioError('UNSUPPORTED', `output "${spec.id}" is ${output.shape[xi]}×${output.shape[yi]} for an input region of ${width}×${height}; only outputs aligned pixel for pixel are shown over the image`);
  }
  const other = output.shape.findIndex((n, k) => k !== ci && k !== yi && k !== xi && n !== 1);
  if (other >= 0) throw new FairioError('UNSUPPORTED', `output axis "${ids[other]}" of "${spec.id}" has ${output.shape[other]} entries; the viewer shows channel × y × x`);
  const channels = ci < 0 ? 1 : output.shape[ci];
  const st = output.shape.map((_, k) => output.shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const sc = ci < 0 ? 0 : st[ci];
  const data = new Float32Array(channels * height * width);
  let o = 0;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const row = c * sc + y * st[yi];
      for (let x = 0; x < width; x++) data[o++] = Number(output.data[row + x * st[xi]]);
    }
  }
  return { data, channels };
}

