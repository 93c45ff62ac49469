/**
 * The `predict` node: a bioimage.io model (ONNX weights) on an OME-Zarr
 * image of any size. The model package is validated first and refused when
 * invalid or hostile. Then, per sample (time point, and z slice for 2D
 * models), the statistics that pre-processing needs are measured over the
 * whole sample, chunk by chunk; and the prediction is written with ngff's
 * `writeImage` from an `ImageSource` whose `read(start, stop)` runs the tiles
 * owning that block (reading their input with halo through `readBox`). The
 * output chunk grid is the tiles' inner size, so each chunk costs one tile
 * and memory holds a few tiles whatever the image size.
 */
import { FairioError, openOmeZarr, parseCompressor, SpareArrays, writeImage, type Axis, type DataType, type ImageSource, type TypedArray } from '@fairio/ngff';
import type { AnalysisNode, NodeRunContext, NodeRunResult } from '../node.js';
import { predictDescription, PREDICTION_COMPRESSOR } from './predict-description.js';
import { layoutFor, parseChannels, sampleAccess, sampleChunks, sampleCount, type SampleLayout } from './image-sample.js';
import { onnxRuntimeSoftware, type Device } from './onnx/node.js';
import { openOnnxWorker } from './onnx/worker.js';
import { measuresByTensor, processingFor } from './processing/pipeline.js';
import { computeStats, measureKey, type Measure, type StatValues } from './processing/stats.js';
import { castData, size, strides, type NdArray } from './processing/tensor.js';
import type { ModelSpec, TensorSpec } from './spec/model.js';
import { loadModel } from './spec/validate.js';
import { TiledPrediction } from './tiling/predict.js';
import { tiles } from './tiling/plan.js';

const WRITABLE: Record<string, DataType> = { bool: 'uint8', uint8: 'uint8', int8: 'int8', uint16: 'uint16', int16: 'int16', uint32: 'uint32', int32: 'int32', float32: 'float32', float64: 'float64', uint64: 'float64', int64: 'float64' };

/** Measures whose statistics span the dataset (every sample): bioimageio.core's dataset mode. */
const isDatasetMeasure = (m: Measure) => m.axes === null || m.axes.includes('batch');

interface OutputLayout {
  /** NGFF axes of the written image. */
  axes: Axis[];
  /** For each written axis: the loop axis index it comes from, or the model output axis index. */
  source: ({ loop: number } | { model: number })[];
  shape: number[];
  chunks: number[];
  scale: number[];
}

function outputLayout(model: ModelSpec, output: TensorSpec, prediction: TiledPrediction, layout: SampleLayout, imageAxes: Axis[], imageScale: number[], index: number): OutputLayout {
  const shape = prediction.outputShapes[index];
  const input = prediction.input;
  const entries: { order: number; axis: Axis; source: { loop: number } | { model: number }; size: number; chunk: number; scale: number }[] = [];
  const ORDER: Record<string, number> = { t: 0, c: 1, z: 2, y: 3, x: 4 };
  layout.loopAxes.forEach((a, i) => entries.push({ order: ORDER[a.name] ?? 2, axis: imageAxes[a.index], source: { loop: i }, size: a.size, chunk: 1, scale: imageScale[a.index] }));
  output.axes.forEach((axis, k) => {
    if (axis.type === 'batch') {
      if (shape[k] !== 1) throw new FairioError('UNSUPPORTED', `output "${output.id}" has batch size ${shape[k]}`);
      return;
    }
    if (axis.type === 'channel') {
      entries.push({ order: 1, axis: { name: 'c', type: 'channel' }, source: { model: k }, size: shape[k], chunk: shape[k], scale: 1 });
      return;
    }
    const ref = axis.size.kind === 'reference' ? input.axes.findIndex((a) => a.id === (axis.size as { axisId: string }).axisId) : input.axes.findIndex((a) => a.id === axis.id);
    const imageAxis = ref >= 0 ? layout.imageAxisOf[ref] : -1;
    if (imageAxis < 0) {
      if (shape[k] === 1) return; // a singleton axis the image does not have (e.g. z of a 2D model's output)
      throw new FairioError('UNSUPPORTED', `output axis "${axis.id}" of "${output.id}" has no counterpart in the image`);
    }
    const tiling = prediction.plan.axes[ref];
    const name = imageAxes[imageAxis].name;
    entries.push({ order: ORDER[name] ?? 2, axis: imageAxes[imageAxis], source: { model: k }, size: shape[k], chunk: tiling.tiled ? Math.min(tiling.inner, shape[k]) : shape[k], scale: imageScale[imageAxis] * (shape[k] ? tiling.size / shape[k] : 1) });
  });
  entries.sort((a, b) => a.order - b.order);
  void model;
  return {
    axes: entries.map((e) => e.axis),
    source: entries.map((e) => e.source),
    shape: entries.map((e) => e.size),
    chunks: entries.map((e) => e.chunk),
    scale: entries.map((e) => e.scale),
  };
}

/** Model output box → written image box (drop batch and singleton axes, reorder). */
function toImageOrder(box: NdArray, out: OutputLayout): NdArray {
  const shape = out.source.map((s) => ('loop' in s ? 1 : box.shape[s.model]));
  // Dropping singleton axes and keeping the others in order leaves the elements where they are.
  const kept = out.source.flatMap((s, d) => ('loop' in s || shape[d] === 1 ? [] : [s.model]));
  if (size(shape) === box.data.length && kept.every((m, i) => i === 0 || m > kept[i - 1])) return { data: box.data, shape, dtype: box.dtype };
  const boxStrides = strides(box.shape);
  const perAxis = out.source.map((s) => ('loop' in s ? 0 : boxStrides[s.model]));
  const data = new (box.data.constructor as new (n: number) => TypedArray)(size(shape));
  const n = shape.length;
  const pos = new Array<number>(n).fill(0);
  let o = 0;
  for (;;) {
    let base = 0;
    for (let d = 0; d < n - 1; d++) base += pos[d] * perAxis[d];
    const s = perAxis[n - 1];
    for (let k = 0; k < shape[n - 1]; k++) data[o++] = box.data[base + k * s] as never;
    let d = n - 2;
    for (; d >= 0; d--) {
      if (++pos[d] < shape[d]) break;
      pos[d] = 0;
    }
    if (d < 0) break;
  }
  return { data, shape, dtype: box.dtype };
}

export async function runPredict(context: NodeRunContext): Promise<NodeRunResult> {
  const modelLocation = context.inputs.model as string;
  const imageLocation = context.inputs.image as string;
  const destination = context.outputs.prediction;
  if (!destination) throw new FairioError('INVALID_ARGUMENT', 'predict: say where the prediction goes');
  const p = context.parameters;
  const device = (p.device as Device | undefined) ?? 'cpu';
  const compressor = parseCompressor((p.compressor as string | undefined) ?? PREDICTION_COMPRESSOR);
  const tileParam = p.tile as number | undefined;

  const { package: pkg, model, findings } = await loadModel(modelLocation);
  if (!model.onnx) throw new FairioError('UNSUPPORTED', `has no ONNX weights (only ${model.weightsFormats.join(', ')}); fairio runs ONNX weights`, { path: pkg.descriptionPath });
  if (model.inputs.length !== 1) throw new FairioError('UNSUPPORTED', `the model has ${model.inputs.length} inputs; predict feeds one image to models with one input`);
  const outputIndex = p.output ? model.outputs.findIndex((o) => o.id === p.output) : 0;
  if (outputIndex < 0) throw new FairioError('INVALID_ARGUMENT', `the model has no output "${String(p.output)}" (outputs: ${model.outputs.map((o) => o.id).join(', ')})`);
  const input = model.inputs[0];
  const output = model.outputs[outputIndex];

  const group = await openOmeZarr(imageLocation);
  const image = await group.image();
  const level0 = image.levels[0];
  const layout = layoutFor(image, input, parseChannels(p.channels as string | undefined));
  const samples = sampleCount(layout);

  // Statistics first, over the whole image (dataset mode) or each sample.
  const measures = [...measuresByTensor([...model.inputs, ...model.outputs].map(processingFor)).entries()];
  for (const [tensorId] of measures) {
    if (tensorId !== input.id) throw new FairioError('UNSUPPORTED', `processing needs statistics of "${tensorId}", which only exist once the whole output is predicted; fairio predicts tile by tile`);
  }
  const wanted = measures.flatMap(([, m]) => m);
  const target = { axes: input.axes.map((a) => a.id), shape: layout.sampleShape };
  const datasetMeasures = wanted.filter(isDatasetMeasure);
  const sampleMeasures = wanted.filter((m) => !isDatasetMeasure(m));
  const all = Array.from({ length: samples }, (_, i) => i);
  const statsOf = async (datasetStats: StatValues, sample: number): Promise<StatValues> => {
    const stats: StatValues = new Map(datasetStats);
    if (sampleMeasures.length) for (const [k, v] of await computeStats(sampleMeasures, target, sampleChunks(image, layout, [sample]))) stats.set(k, v);
    return stats;
  };

  const weights = await pkg.localPath(model.onnx.source, model.onnx.sha256);
  // The session runs on a worker thread, one run at a time; reading, statistics, processing and encoding overlap with it.
  // Idle intra-op threads sleep instead of spinning, so they leave the cores to this thread's reading, processing and
  // encoding, which overlap with the runs (the benchmark's bare session is configured the same way). It starts now:
  // ONNX Runtime loads and optimises the model on the worker while this thread measures the statistics.
  const opening = openOnnxWorker(weights, { device, intraOpThreads: context.workers, spinning: false });
  opening.catch(() => undefined); // awaited below; a failure there must not count as unhandled meanwhile
  let datasetStats: StatValues;
  let firstStats: StatValues;
  let onnx: Awaited<typeof opening>;
  try {
    datasetStats = datasetMeasures.length ? await computeStats(datasetMeasures, target, sampleChunks(image, layout, all)) : new Map();
    firstStats = await statsOf(datasetStats, 0);
    onnx = await opening;
  } catch (error) {
    await opening.then((w) => w.release(), () => undefined);
    throw error;
  }
  try {
    const tile = tileParam === undefined ? undefined : tileParam === 0 ? Infinity : tileParam;
    // Input tiles and output blocks are refilled instead of allocated per tile (fewer large allocations, less GC):
    // tiles come back from the ONNX Runtime worker, blocks from the writer once encoded.
    const spare = new SpareArrays(16);
    const predictions = new Map<number, Promise<TiledPrediction>>();
    const predictionFor = (sample: number) => {
      if (!predictions.has(sample)) {
        // Keep the statistics of the samples in flight only.
        if (predictions.size > 4) predictions.delete(predictions.keys().next().value!);
        predictions.set(sample, (sample === 0 ? Promise.resolve(firstStats) : statsOf(datasetStats, sample)).then((stats) => new TiledPrediction(model, onnx, sampleAccess(image, layout, sample), { stats, tile, spare })));
      }
      return predictions.get(sample)!;
    };
    const first = await predictionFor(0);
    // Output sizes of data-dependent axes are known after one tile; the declared ones right away.
    if (first.outputShapes[outputIndex].some((s) => s < 0)) await first.runTile(tiles(first.plan).next().value!);
    const imageScale = level0.scale;
    const out = outputLayout(model, output, first, layout, image.axes, imageScale, outputIndex);
    const dtype = WRITABLE[output.dtype] ?? 'float32';
    let tilesRun = 0;
    const source: ImageSource = {
      shape: out.shape,
      dtype,
      async read(start, stop) {
        // The sample: positions along the loop axes (chunks are 1 long there).
        let sample = 0;
        const loopSizes = layout.loopAxes.map((a) => a.size);
        const loopStrides = strides(loopSizes);
        const mStart = output.axes.map(() => 0);
        const mStop = [...first.outputShapes[outputIndex]];
        out.source.forEach((s, d) => {
          if ('loop' in s) sample += start[d] * loopStrides[s.loop];
          else {
            mStart[s.model] = start[d];
            mStop[s.model] = stop[d];
          }
        });
        const prediction = await predictionFor(sample);
        const box = await prediction.predictBox(outputIndex, mStart, mStop);
        tilesRun++;
        const arranged = toImageOrder(box, out);
        return (box.dtype === dtype ? arranged.data : castData(arranged.data as never, dtype as never)) as TypedArray;
      },
      release: (data) => spare.give(data),
    };
    const plan = first.plan;
    await writeImage(destination, source, {
      axes: out.axes,
      scale: out.scale,
      chunks: out.chunks,
      name: `${model.name} prediction`,
      overwrite: context.overwrite,
      workers: context.workers,
      compressor,
      ngff: (p.ngff as '0.4' | '0.5' | undefined) ?? '0.5',
      onProgress: context.onProgress,
    });
    return {
      outputs: { prediction: destination },
      software: [onnxRuntimeSoftware()],
      summary: {
        model: {
          name: model.name,
          id: model.id ?? null,
          formatVersion: model.formatVersion,
          description: pkg.descriptionPath,
          descriptionSha256: pkg.descriptionSha256,
          packageSha256: pkg.packageSha256 ?? null,
          weightsSha256: model.onnx.sha256 ?? null,
          output: output.id,
        },
        device,
        samples,
        tileShape: plan.tileShape,
        tilesPerSample: plan.count,
        blocksPredicted: tilesRun,
        outputShape: out.shape,
        statistics: wanted.map(measureKey),
        warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.code),
      },
    };
  } finally {
    await onnx.release();
  }
}

export const predictNode: AnalysisNode = {
  description: predictDescription,
  run: runPredict,
};
