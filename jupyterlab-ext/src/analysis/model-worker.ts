/**
 * The model worker: a bioimage.io model run by ONNX Runtime Web
 * (WebAssembly, the .wasm served by the extension itself) with the command
 * line's code: the package is read and checked by `openBrowserModel`, the
 * image meets the model's input through `layoutFor` / `sampleAccess` (the
 * channel and axis rules of `fairio predict`), and `TiledPrediction` tiles,
 * pre-processes, runs and post-processes. The statistics that normalisation
 * needs are those of the analysed region (the region is the sample).
 * Bundled on its own by scripts/build-worker.mjs and started from a Blob URL.
 */
import * as ort from 'onnxruntime-web/wasm';
import { FairioError, openGroup, openUrlStore } from '@fairio/ngff/browser';
import {
  arrayAccess,
  inputStats,
  layoutFor,
  OnnxModel,
  openBrowserModel,
  regionAccess,
  sampleAccess,
  sampleAt,
  TiledPrediction,
  type BrowserModel,
  type OrtApi,
} from '@fairio/model-runner/browser';
import { storeFetch } from '../store-fetch.js';
import { modelSource } from './jupyter-files.js';
import { toPlanes } from './planes.js';
import type { FromAnalysisWorker, ToModelWorker } from './protocol.js';
import type { AnalysisOutput, AnalysisRequest } from './runner.js';
import { postProgress, serveAnalysisWorker } from './worker-serve.js';

let loaded: { pkg: BrowserModel; session: OnnxModel; path: string } | undefined;

async function wasmBinary(url: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new FairioError('IO_ERROR', `cannot load ONNX Runtime's WebAssembly (${(e as Error).message})`, { path: url });
  }
  if (!response.ok) throw new FairioError('IO_ERROR', `cannot load ONNX Runtime's WebAssembly (HTTP ${response.status}); is the extension installed completely?`, { path: url });
  return response.arrayBuffer();
}

async function prepare(message: Extract<ToModelWorker, { type: 'prepare' }>): Promise<FromAnalysisWorker> {
  const pkg = await openBrowserModel(await modelSource(message.server, message.path));
  const { model } = pkg;
  if (model.inputs.length !== 1) throw new FairioError('UNSUPPORTED', `the model has ${model.inputs.length} inputs; the viewer feeds one image to models with one input`, { path: message.path });
  const input = model.inputs[0];
  if (input.axes.some((a) => a.type === 'space' && a.id === 'z')) throw new FairioError('UNSUPPORTED', 'is a 3D model (its input has a z axis); the viewer analyses one plane — run it with fairio predict', { path: message.path });
  // The .wasm comes from the extension's static folder, fetched here and handed over as bytes: the bundled
  // module has no URL of its own to resolve a path against.
  ort.env.wasm.wasmBinary ??= await wasmBinary(message.wasmUrl);
  ort.env.wasm.numThreads = message.threads;
  ort.env.wasm.proxy = false;
  const session = await OnnxModel.create(ort as unknown as OrtApi, pkg.weights, { executionProviders: ['wasm'] });
  await loaded?.session.release();
  loaded = { pkg, session, path: message.path };
  const channel = input.axes.find((a) => a.type === 'channel');
  return {
    type: 'prepared',
    inputChannels: !channel ? 1 : channel.size.kind === 'fixed' ? channel.size.size : 'any',
    description: {
      kind: 'bioimageio-model',
      name: model.name,
      id: model.id,
      version: model.version,
      file: message.path,
      sha256: pkg.weightsSha256,
      software: [{ name: 'ONNX Runtime Web', version: ort.env.versions.web ?? 'unknown', url: 'https://onnxruntime.ai/docs/tutorials/web/' }],
      parameters: {
        formatVersion: model.formatVersion,
        description: pkg.descriptionName,
        descriptionSha256: pkg.descriptionSha256,
        ...(pkg.packageSha256 ? { packageSha256: pkg.packageSha256 } : {}),
        weights: model.onnx!.source,
        executionProvider: 'wasm',
        threads: message.threads,
      },
    },
  };
}

async function run(message: Extract<ToModelWorker, { type: 'run' }>): Promise<FromAnalysisWorker> {
  if (!loaded) throw new FairioError('INVALID_ARGUMENT', 'no model is loaded');
  const { model } = loaded.pkg;
  const request: AnalysisRequest = message.request;
  const started = performance.now();
  const store = openUrlStore(request.store.url, { fetch: storeFetch(request.store), name: request.store.label });
  const image = await (await openGroup(store, request.imagePath)).image();
  const layout = layoutFor(image, model.inputs[0], request.channels);
  const access = regionAccess(image, layout, sampleAccess(image, layout, sampleAt(layout, { t: request.t, z: request.z })), request.region);
  postProgress(0, 1, 'reading');
  const input = await access.read(access.shape.map(() => 0), access.shape);
  const readMs = performance.now() - started;
  const stats = await inputStats(model, [input]);
  const prediction = new TiledPrediction(model, loaded.session, arrayAccess(input), { stats, tile: message.tile > 0 ? message.tile : undefined });
  const total = prediction.plan.count;
  postProgress(0, total, 'tiles');
  const outputs = await prediction.predictAll((done) => postProgress(done, total, 'tiles'));
  const planes = toPlanes(outputs[0], model.outputs[0], request.region.height, request.region.width);
  const output: AnalysisOutput = {
    kind: 'probability',
    data: planes.data,
    channels: planes.channels,
    height: request.region.height,
    width: request.region.width,
    channelNames: model.outputs[0].axes.find((a) => a.type === 'channel')?.channelNames,
    details: {
      output: model.outputs[0].id,
      tiles: total,
      tileShape: prediction.plan.tileShape.join('×'),
      readMs: Math.round(readMs),
      predictMs: Math.round(performance.now() - started - readMs),
    },
  };
  return { type: 'result', output };
}

serveAnalysisWorker({ prepare, run });
