/**
 * The pixel classifier's analysis nodes: `classify train` (labels → a
 * classifier file), `classify predict` (classifier + image → probabilities
 * and / or a segmentation, OME-Zarr, block by block) and `classify
 * features` (ilastik's feature export): the work behind the descriptions
 * in descriptions.ts, which the CLI, Galaxy tools and provenance come from
 * (the registry loads this module on a node's first run).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { FairioError, openOmeZarr, readBox, writeImage, type ImageSource, type TypedArray } from '@fairio/ngff';
import type { AnalysisNode, NodeRunContext, SoftwareUsed } from '../node.js';
import { FAIRIO } from '../run.js';
import { ILASTIK_SCALES, featureChannels, fullSelection, parseFeatureSelection, type FeatureSelection } from './features/bank.js';
import { argmaxClasses } from './forest/forest.js';
import { trainForestParallel } from './forest/train-parallel.js';
import { BlockRunner, spatialDimsOf } from './apply/runner.js';
import { classifierSource, outputLayout } from './apply/sources.js';
import { collectTrainingSet } from './apply/training.js';
import { checksumPath, defaultClasses, readClassifier, writeClassifier, type PixelClassifier } from './classifier-file.js';
import { openImageInput, type ImageInput } from './image-input.js';
import { ilpLabels, readIlp, type IlpProject } from './ilp.js';
import { classifyFeaturesDescription, classifyPredictDescription, classifyTrainDescription } from './descriptions.js';

function h5wasmSoftware(): SoftwareUsed {
  const require = createRequire(import.meta.url);
  let version = 'unknown';
  try {
    version = (require('h5wasm/package.json') as { version: string }).version;
  } catch {
    // not resolvable through its exports map in every layout
  }
  return { name: 'h5wasm', version, url: 'https://github.com/usnistgov/h5wasm' };
}

const inputPath = (context: NodeRunContext, name: string) => context.inputs[name] as string;
const isIlp = (location: string) => /\.ilp$/i.test(location);

function parseScales(text: unknown): number[] {
  if (text === undefined || text === '') return ILASTIK_SCALES;
  const scales = String(text).split(',').map((s) => Number(s.trim()));
  if (scales.length === 0 || scales.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new FairioError('INVALID_ARGUMENT', `scales must be positive numbers separated by commas, not "${String(text)}"`);
  }
  return scales;
}

function selectionFrom(context: NodeRunContext, fromProject?: FeatureSelection): FeatureSelection {
  const { features, scales, in2d } = context.parameters;
  let selection: FeatureSelection;
  if (features === undefined && scales === undefined && fromProject) selection = { ...fromProject };
  else if (features === undefined) selection = fullSelection(parseScales(scales));
  else selection = parseFeatureSelection(String(features), parseScales(scales));
  if (in2d !== undefined) selection.in2d = Boolean(in2d) || (features === undefined && scales === undefined && Boolean(fromProject?.in2d));
  return selection;
}

/** A label image: a TIFF, an OME-Zarr label image, or an OME-Zarr image whose `labels/` group holds one. */
async function openLabels(location: string): Promise<ImageInput> {
  if (!/\.(ome\.)?tiff?$/i.test(location)) {
    const group = await openOmeZarr(location);
    if (group.kind === 'image' && !group.metadata?.imageLabel) {
      const names = await group.labelNames();
      if (names.length === 0) {
        throw new FairioError('INVALID_ARGUMENT', 'is an image without labels: give a label image (e.g. IMAGE.zarr/labels/NAME), a TIFF of labels or an ilastik project', { path: location });
      }
      return openImageInput(`${location.replace(/\/+$/, '')}/labels/${names[0]}`);
    }
  }
  return openImageInput(location);
}

const workersOf = (context: NodeRunContext) => context.workers;


export const classifyTrain: AnalysisNode = {
  description: classifyTrainDescription,
  async run(context) {
    const imagePath = inputPath(context, 'image');
    const labelsPath = inputPath(context, 'labels');
    const software: SoftwareUsed[] = [];
    let project: IlpProject | undefined;
    if (isIlp(labelsPath)) {
      project = await readIlp(labelsPath);
      software.push(h5wasmSoftware());
    }
    const image = await openImageInput(imagePath);
    let labels: ImageInput | undefined;
    let runner: BlockRunner | undefined;
    try {
      labels = project ? ilpLabels(project, image) : await openLabels(labelsPath);
      const selection = selectionFrom(context, project?.selection);
      runner = new BlockRunner(image, selection, { workers: workersOf(context) });
      const data = await collectTrainingSet(runner, labels, (done, total) => context.onProgress?.(done, total * 2, 'features of labelled pixels'));
      await runner.close();
      runner = undefined;
      const trees = Number(context.parameters.trees ?? 100);
      const seed = Number(context.parameters.seed ?? 0);
      const featuresPerSplit = Math.max(1, Math.floor(Math.sqrt(data.features)));
      const forest = await trainForestParallel(data, { trees, seed, featuresPerSplit, workers: workersOf(context), onProgress: (done, all) => context.onProgress?.(all + done, 2 * all, 'trees') });
      const names = context.parameters.classNames ? String(context.parameters.classNames).split(',').map((s) => s.trim()) : (project?.classNames ?? []);
      const [imageSha, labelsSha] = await Promise.all([checksumPath(imagePath), checksumPath(labelsPath)]);
      const classifier: PixelClassifier = {
        selection,
        input: { channels: image.shape5[1], spatialDims: spatialDimsOf(image), axes: image.axes.map((a) => a.name) },
        classes: defaultClasses(data.classCount, names, project?.classColors),
        training: {
          image: { path: imagePath, sha256: imageSha },
          labels: { path: labelsPath, sha256: labelsSha },
          trainingSet: data.sha256,
          labelledPixels: data.samples,
          pixelsPerClass: data.pixelsPerClass,
          trees,
          seed,
          featuresPerSplit,
        },
        forest,
        software: [FAIRIO, ...software],
      };
      const output = context.outputs.classifier;
      const sha256 = await writeClassifier(output, classifier, { overwrite: context.overwrite });
      return {
        outputs: { classifier: output },
        software,
        summary: {
          classifierSha256: sha256,
          classes: classifier.classes.map((c) => c.name),
          labelledPixels: data.samples,
          pixelsPerClass: data.pixelsPerClass,
          features: data.features,
          trees,
          nodes: forest.feature.length,
          seed,
          trainingSetSha256: data.sha256,
        },
      };
    } finally {
      await runner?.close();
      await labels?.close();
      await image.close();
    }
  },
};

function checkFits(classifier: PixelClassifier, image: ImageInput, where: string): void {
  const channels = image.shape5[1];
  const dims = spatialDimsOf(image);
  if (channels !== classifier.input.channels) {
    throw new FairioError('INVALID_ARGUMENT', `the classifier was trained on images with ${classifier.input.channels} channel(s); this image has ${channels}`, { path: image.location });
  }
  if (dims !== classifier.input.spatialDims) {
    throw new FairioError('INVALID_ARGUMENT', `the classifier was trained on ${classifier.input.spatialDims}D images; this image is ${dims}D`, { path: where });
  }
}

const hex = (color: string) => color.replace(/^#/, '').toUpperCase();
const rgba = (color: string): [number, number, number, number] => {
  const v = parseInt(hex(color), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255, 255];
};

/** A label image computed from written probabilities (argmax, chunk-wise): no features again. */
async function segmentationFromProbabilities(probabilities: string, classes: number): Promise<ImageSource & { axes: string[] }> {
  const image = await (await openOmeZarr(probabilities)).image();
  const level = image.levels[0];
  const names = image.axisNames;
  const c = names.indexOf('c');
  const shape = level.shape.filter((_, i) => i !== c);
  return {
    axes: names.filter((n) => n !== 'c'),
    shape,
    dtype: 'uint8',
    async read(start, stop) {
      const s = [...start];
      const e = [...stop];
      s.splice(c, 0, 0);
      e.splice(c, 0, classes);
      const p = (await readBox(level.array, s, e, probabilities)) as Float32Array;
      const pixels = stop.reduce((n, v, i) => n * (v - start[i]), 1);
      return argmaxClasses(p, classes, pixels) as TypedArray;
    },
  };
}

async function writeLabelsGroup(image: string, name: string, ngff: '0.4' | '0.5'): Promise<void> {
  const dir = path.join(image, 'labels');
  if (ngff === '0.5') {
    await fs.promises.writeFile(path.join(dir, 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', labels: [name] } } }, null, 2));
  } else {
    await fs.promises.writeFile(path.join(dir, '.zgroup'), JSON.stringify({ zarr_format: 2 }));
    await fs.promises.writeFile(path.join(dir, '.zattrs'), JSON.stringify({ labels: [name] }, null, 2));
  }
}

export const classifyPredict: AnalysisNode = {
  description: classifyPredictDescription,
  async run(context) {
    const wantProbabilities = Boolean(context.parameters.probabilities);
    const wantSegmentation = Boolean(context.parameters.segmentation);
    if (!wantProbabilities && !wantSegmentation) throw new FairioError('INVALID_ARGUMENT', 'nothing to write: ask for the segmentation, the probabilities or both');
    const ngff = String(context.parameters.ngff ?? '0.5') as '0.4' | '0.5';
    const classifierPath = inputPath(context, 'classifier');
    const { classifier, sha256 } = await readClassifier(classifierPath);
    const image = await openImageInput(inputPath(context, 'image'));
    let runner: BlockRunner | undefined;
    try {
      checkFits(classifier, image, inputPath(context, 'image'));
      runner = new BlockRunner(image, classifier.selection, { workers: workersOf(context), forest: classifier.forest });
      const K = classifier.classes.length;
      const output = context.outputs.output;
      const kind = wantProbabilities ? 'probabilities' : 'segmentation';
      const layout = outputLayout(runner, kind, K);
      const counts = new Array<number>(K).fill(0);
      const source = classifierSource(runner, kind, layout);
      const counting: ImageSource = wantProbabilities
        ? source
        : {
            ...source,
            async read(start, stop) {
              const labels = await source.read(start, stop);
              for (const v of labels as Uint8Array) counts[v - 1]++;
              return labels;
            },
          };
      const progress = (done: number, total: number) => context.onProgress?.(done, total, kind);
      await writeImage(output, counting, {
        ngff,
        axes: layout.axes,
        scale: layout.scale,
        chunks: layout.chunks,
        dtype: layout.dtype,
        name: path.basename(output),
        overwrite: context.overwrite,
        workers: context.workers,
        onProgress: progress,
        ...(kind === 'probabilities'
          ? { channels: classifier.classes.map((c) => ({ label: c.name, color: hex(c.color), window: { start: 0, end: 1, min: 0, max: 1 } })) }
          : { downsampling: 'mode' as const, imageLabel: { colors: classifier.classes.map((c) => ({ 'label-value': c.value, rgba: rgba(c.color) })) } }),
      });
      const outputs: Record<string, string> = { output };
      if (wantProbabilities && wantSegmentation) {
        const segmentation = await segmentationFromProbabilities(output, K);
        await fs.promises.mkdir(path.join(output, 'labels'), { recursive: true });
        const at = path.join(output, 'labels', 'segmentation');
        await writeImage(
          at,
          {
            ...segmentation,
            async read(start, stop) {
              const labels = await segmentation.read(start, stop);
              for (const v of labels as Uint8Array) counts[v - 1]++;
              return labels;
            },
          },
          {
            ngff,
            axes: layout.axes.filter((a) => a.name !== 'c'),
            scale: layout.scale.filter((_, i) => layout.axes[i].name !== 'c'),
            chunks: layout.chunks.filter((_, i) => layout.axes[i].name !== 'c'),
            name: 'segmentation',
            downsampling: 'mode',
            imageLabel: { colors: classifier.classes.map((c) => ({ 'label-value': c.value, rgba: rgba(c.color) })), source: { image: '../../' } },
            workers: context.workers,
          },
        );
        await writeLabelsGroup(output, 'segmentation', ngff);
      }
      const pixels = image.shape5.reduce((a, b, i) => (i === 1 ? a : a * b), 1);
      return {
        outputs,
        summary: {
          classifierSha256: sha256,
          classes: classifier.classes.map((c) => c.name),
          pixels,
          features: runner.featureCount,
          ...(wantSegmentation ? { pixelsPerClass: Object.fromEntries(classifier.classes.map((c, k) => [c.name, counts[k]])) } : {}),
        },
      };
    } finally {
      await runner?.close();
      await image.close();
    }
  },
};

export const classifyFeatures: AnalysisNode = {
  description: classifyFeaturesDescription,
  async run(context) {
    const image = await openImageInput(inputPath(context, 'image'));
    let runner: BlockRunner | undefined;
    try {
      const selection = selectionFrom(context);
      runner = new BlockRunner(image, selection, { workers: workersOf(context) });
      const names = featureChannels(selection, image.shape5[1], runner.spatialDims).map((c) => c.name);
      const layout = outputLayout(runner, 'features', names.length);
      const output = context.outputs.output;
      await writeImage(output, classifierSource(runner, 'features', layout), {
        ngff: String(context.parameters.ngff ?? '0.5') as '0.4' | '0.5',
        axes: layout.axes,
        scale: layout.scale,
        chunks: layout.chunks,
        name: path.basename(output),
        overwrite: context.overwrite,
        workers: context.workers,
        channels: names.map((label) => ({ label })),
        onProgress: (done, total) => context.onProgress?.(done, total, 'features'),
      });
      return { outputs: { output }, summary: { features: names.length, channelNames: names } };
    } finally {
      await runner?.close();
      await image.close();
    }
  },
};

export const pixelClassifierNodes: AnalysisNode[] = [classifyTrain, classifyPredict, classifyFeatures];
