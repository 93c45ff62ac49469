/**
 * The pixel-classifier worker: a trained fairio classifier (`.fairio-rf`,
 * read through the Jupyter server) applied to a region of the open image
 * with the command line's own code (`classifyRegion` of
 * `@fairio/model-runner/browser`). The region is read at level 0 with the
 * halo the classifier's filters need (clipped at the image edge), so its
 * classes are those `fairio classify predict` gives for the whole image,
 * pixel for pixel. Classifiers trained on 2D images, and on z-stacks
 * filtered plane by plane (`--in2d`), apply to the viewer's plane; one that
 * filters across z is refused. Bundled on its own by scripts/build-worker.mjs.
 */
import { FairioError, openGroup, openUrlStore, type OmeZarrImage } from '@fairio/ngff/browser';
import { sha256Hex } from '@fairio/provenance/browser';
import { classifierReadBox, classifyRegion, featureHalo, parseClassifierBytes, type Box, type PixelClassifier } from '@fairio/model-runner/browser';
import { storeFetch } from '../store-fetch.js';
import { contentsOf, readServerFile } from './jupyter-files.js';
import type { FromAnalysisWorker, ToClassifierWorker } from './protocol.js';
import type { AnalysisOutput } from './runner.js';
import { postProgress, serveAnalysisWorker } from './worker-serve.js';

let loaded: PixelClassifier | undefined;

/** '#rrggbb' → [r, g, b]. */
function rgb(color: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [255, 255, 255];
}

async function prepare(message: Extract<ToClassifierWorker, { type: 'prepare' }>): Promise<FromAnalysisWorker> {
  const path = message.path.trim().replace(/^\/+|\/+$/g, '');
  if (!path) throw new FairioError('INVALID_ARGUMENT', 'name a trained fairio pixel classifier (a .fairio-rf file from fairio classify train)');
  if ((await contentsOf(message.server, path, false)).type === 'directory') {
    throw new FairioError('INVALID_ARGUMENT', 'is a folder, not a trained classifier (a .fairio-rf file from fairio classify train)', { path });
  }
  const bytes = await readServerFile(message.server, path);
  const classifier = parseClassifierBytes(bytes, path);
  if (classifier.input.spatialDims === 3 && !classifier.selection.in2d) {
    throw new FairioError('UNSUPPORTED', 'filters across z (trained on a z-stack without --in2d); the viewer classifies one plane — run it with fairio classify predict', { path });
  }
  loaded = classifier;
  const { forest, training } = classifier;
  return {
    type: 'prepared',
    inputChannels: classifier.input.channels,
    description: {
      kind: 'pixel-classifier',
      name: path.split('/').pop() ?? path,
      file: path,
      sha256: sha256Hex(bytes),
      software: classifier.software.length ? classifier.software : [{ name: 'fairio', version: 'unknown' }],
      parameters: {
        classes: classifier.classes.map((c) => c.name).join(', '),
        features: forest.featureCount,
        trees: forest.roots.length,
        halo: featureHalo(classifier.selection),
        in2d: Boolean(classifier.selection.in2d),
        ...(training?.image?.sha256 ? { trainingImageSha256: training.image.sha256 } : {}),
        ...(training?.labels?.sha256 ? { trainingLabelsSha256: training.labels.sha256 } : {}),
      },
    },
  };
}

/** Level-0 pixels of channel c in the box ([z,] y, x) at t; a y/x box lies in plane z. */
async function readBox(image: OmeZarrImage, c: number, z: number, t: number, box: Box): Promise<ArrayLike<number>> {
  const names = image.axisNames;
  const select: Record<string, number | [number, number]> = {};
  (box.lo.length === 3 ? ['z', 'y', 'x'] : ['y', 'x']).forEach((name, d) => {
    if (names.includes(name)) select[name] = [box.lo[d], box.hi[d]];
  });
  if (box.lo.length === 2 && names.includes('z')) select.z = z;
  if (names.includes('c')) select.c = c;
  if (names.includes('t')) select.t = t;
  return (await image.readRegion({ level: 0, select })).data as ArrayLike<number>;
}

async function run(message: Extract<ToClassifierWorker, { type: 'run' }>): Promise<FromAnalysisWorker> {
  const classifier = loaded;
  if (!classifier) throw new FairioError('INVALID_ARGUMENT', 'no classifier is loaded');
  const { request } = message;
  const started = performance.now();
  const store = openUrlStore(request.store.url, { fetch: storeFetch(request.store), name: request.store.label });
  const image = await (await openGroup(store, request.imagePath)).image();
  const names = image.axisNames;
  const size = (name: string) => (names.includes(name) ? image.levels[0].shape[names.indexOf(name)] : 1);
  const { x, y, width, height } = request.region;
  // A classifier of z-stacks filtered plane by plane sees the plane as a 1-plane stack (the CLI's features, z halo 0);
  // a 2D classifier takes plane z as its image.
  const stack = classifier.input.spatialDims === 3;
  const imageShape = stack ? [size('z'), size('y'), size('x')] : [size('y'), size('x')];
  const region: Box = stack ? { lo: [request.z, y, x], hi: [request.z + 1, y + height, x + width] } : { lo: [y, x], hi: [y + height, x + width] };
  const box = classifierReadBox(classifier, imageShape, region);
  postProgress(0, 2, 'reading');
  const channels = await Promise.all(request.channels.map((c) => readBox(image, c, request.z, request.t, box)));
  const readMs = performance.now() - started;
  postProgress(1, 2, 'features');
  const result = classifyRegion(classifier, channels, box.hi.map((h, d) => h - box.lo[d]), { box, imageShape, region, probabilities: false });
  postProgress(2, 2, 'features');
  const output: AnalysisOutput = {
    kind: 'labels',
    data: result.labels,
    channels: 1,
    height,
    width,
    channelNames: classifier.classes.map((c) => c.name),
    classColors: classifier.classes.map((c) => rgb(c.color)),
    details: {
      readBox: `x ${box.lo.at(-1)}–${box.hi.at(-1)}, y ${box.lo.at(-2)}–${box.hi.at(-2)}`,
      readMs: Math.round(readMs),
      classifyMs: Math.round(performance.now() - started - readMs),
    },
  };
  return { type: 'result', output };
}

serveAnalysisWorker({ prepare, run });
