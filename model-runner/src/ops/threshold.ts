/**
 * The `threshold` node: a binary mask (uint8, 1 above the threshold) of one
 * channel of an OME-Zarr image, written as an OME-Zarr label image so that
 * viewers show it as a segmentation. The threshold is a given value or Otsu's,
 * computed exactly as scikit-image's `threshold_otsu` from a histogram built
 * in one streaming pass over blocks (two for floating-point images, which
 * need their range first); the mask is then written block by block.
 */
import { FairioError, boundedMap, iterateBlocks, writeImage } from '@fairio/ngff';
import { runSettings, type AnalysisNode, type NodeRunContext, type NodeRunResult, type RunSettings } from '../node.js';
import { PassProgress, imageView, isIntegerType, labelOutputOptions, openImage, passBlockShape, throwIfAborted, type ImageView, type Pixels } from './image-view.js';
import { BinnedHistogram, IntegerHistogram, ValueRange, otsuBinned, otsuInteger } from './otsu.js';
import { checkOutput, requireOutput, stringInput } from './common.js';
import { thresholdDescription } from './descriptions.js';

export interface ThresholdOptions extends RunSettings {
  method: 'otsu' | 'manual';
  /** The threshold for method 'manual': pixels above it are foreground. */
  value?: number;
  /** Channel index when the image has a `c` axis with several channels. */
  channel?: number;
  /** Spatial block shape of the passes (default: whole chunks, about a million pixels). */
  block?: number[];
  /** Chunk shape of the mask (default: the input's, without `c`). */
  chunks?: number[];
}

export interface ThresholdResult {
  path: string;
  method: 'otsu' | 'manual';
  threshold: number;
  channel?: number;
  /** Pixels above the threshold, and all pixels. */
  foreground: number;
  pixels: number;
}

/** Read every block of the view in order, a few at a time. */
async function eachBlock(view: ImageView, block: number[], signal: AbortSignal | undefined, visit: (data: Pixels) => void, step: () => void): Promise<void> {
  for await (const data of boundedMap(iterateBlocks(view.shape, block), (b) => view.read(b.start, b.stop), 4)) {
    throwIfAborted(signal);
    visit(data);
    step();
  }
}

/** Otsu's threshold of the whole view, as `skimage.filters.threshold_otsu(image)`. */
export async function otsuThreshold(view: ImageView, block: number[], progress: PassProgress, signal?: AbortSignal): Promise<number> {
  if (isIntegerType(view.dtype)) {
    const histogram = new IntegerHistogram();
    await eachBlock(view, block, signal, (d) => histogram.add(d), () => progress.step('histogram'));
    return otsuInteger(histogram);
  }
  const range = new ValueRange(view.location);
  await eachBlock(view, block, signal, (d) => range.add(d), () => progress.step('range'));
  if (range.total === 0) throw new FairioError('INVALID_ARGUMENT', 'the image has no pixels', { path: view.location });
  if (range.min === range.max) return range.min;
  const histogram = new BinnedHistogram(range.min, range.max, view.dtype === 'float32');
  await eachBlock(view, block, signal, (d) => histogram.add(d), () => progress.step('histogram'));
  return otsuBinned(histogram);
}

/** Threshold `input` into a mask at `output` (atomically). */
export async function thresholdImage(input: string, output: string, options: ThresholdOptions): Promise<ThresholdResult> {
  if (options.method === 'manual' && (options.value === undefined || !Number.isFinite(options.value))) {
    throw new FairioError('INVALID_ARGUMENT', 'threshold: method "manual" needs a threshold value');
  }
  if (options.method === 'otsu' && options.value !== undefined) {
    throw new FairioError('INVALID_ARGUMENT', 'threshold: a value is only used with method "manual"; Otsu\'s method finds the threshold itself');
  }
  checkOutput(output, options.overwrite);
  const image = await openImage(input, 'image to threshold');
  const view = imageView(image, input, { channels: 'pick', channel: options.channel, channelHint: 'choose one with the channel parameter (--channel)' });
  const block = passBlockShape(view, options.block);
  const blocks = view.shape.reduce((n, s, i) => n * Math.ceil(s / block[i]), 1);
  const passes = options.method === 'otsu' ? (isIntegerType(view.dtype) ? 1 : 2) : 0;
  const progress = new PassProgress(options.onProgress, [passes * blocks, blocks]);

  const threshold = options.method === 'otsu' ? await otsuThreshold(view, block, progress, options.signal) : options.value!;
  let foreground = 0;
  await writeImage(
    output,
    {
      shape: view.shape,
      dtype: 'uint8',
      async read(start, stop) {
        throwIfAborted(options.signal);
        const data = await view.read(start, stop);
        const mask = new Uint8Array(data.length);
        let count = 0;
        for (let i = 0; i < data.length; i++) {
          if (data[i] > threshold) {
            mask[i] = 1;
            count++;
          }
        }
        foreground += count;
        return mask;
      },
    },
    {
      ...labelOutputOptions(image, view, input, 'mask', options),
      imageLabel: { colors: [{ 'label-value': 1, rgba: [255, 255, 255, 255] }] },
      onProgress: progress.writer(1, 'writing mask'),
    },
  );
  return {
    path: output,
    method: options.method,
    threshold,
    ...(view.channel !== undefined ? { channel: view.channel } : {}),
    foreground,
    pixels: view.shape.reduce((a, b) => a * b, 1),
  };
}

export const thresholdNode: AnalysisNode = {
  description: thresholdDescription,
  async run(context: NodeRunContext): Promise<NodeRunResult> {
    const p = context.parameters;
    const result = await thresholdImage(stringInput(context, 'image'), requireOutput(context, 'mask'), {
      method: p.method === 'manual' ? 'manual' : 'otsu',
      value: p.value as number | undefined,
      channel: p.channel as number | undefined,
      ...runSettings(context),
    });
    return {
      outputs: { mask: result.path },
      summary: {
        method: result.method,
        threshold: result.threshold,
        ...(result.channel !== undefined ? { channel: result.channel } : {}),
        foregroundPixels: result.foreground,
        foregroundFraction: result.pixels ? result.foreground / result.pixels : 0,
      },
    };
  },
};
