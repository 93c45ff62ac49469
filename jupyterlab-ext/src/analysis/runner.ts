/**
 * What the viewer's "Analyse" panel runs, as a small interface: an analysis
 * kind (a bioimage.io model, a fairio pixel classifier) prepares a tool from
 * a path in the Jupyter file tree, and the prepared tool runs on a region of
 * the open image's level 0 at one z/t, in a web worker, reporting progress.
 * The panel, the overlay, the crate written next to the image and its
 * pick-up by the recorder are shared by every kind. Pure types.
 */
import type { StoreRef } from '../worker/protocol.js';

/** A y/x box in level-0 pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where and what to analyse: level 0 of the open image, one z/t plane, a y/x region, chosen channels. */
export interface AnalysisRequest {
  store: StoreRef;
  /** Group path of the image inside the store ('' for the root). */
  imagePath: string;
  region: Region;
  z: number;
  t: number;
  /** Image channels fed to the tool, in order. */
  channels: number[];
}

export interface AnalysisProgress {
  done: number;
  total: number;
  /** e.g. 'reading', 'tiles', 'writing'. */
  phase: string;
}

/** The result: C × H × W in C order, aligned with the request's region pixel for pixel. */
export interface AnalysisOutput {
  kind: 'probability' | 'labels';
  data: Float32Array | Uint8Array;
  channels: number;
  height: number;
  width: number;
  channelNames?: string[];
  /** Labels: the colour of class k at [k − 1]. */
  classColors?: [number, number, number][];
  /** What the run measured (tiles, tile shape, milliseconds), recorded in the crate. */
  details: Record<string, string | number | boolean>;
}

/** What the crate says about the tool. */
export interface AnalysisDescription {
  kind: 'bioimageio-model' | 'pixel-classifier';
  name: string;
  id?: string;
  /** Server path of what the user picked (folder, description, zip or classifier file). */
  file: string;
  /** sha256 of the weights (model) or of the classifier file. */
  sha256: string;
  version?: string;
  /** Software that ran it, e.g. ONNX Runtime Web. */
  software: { name: string; version: string; url?: string }[];
  parameters: Record<string, string | number | boolean>;
}

export interface PreparedAnalysis {
  readonly description: AnalysisDescription;
  /** Image channels it needs (1 for most models; 'any' = all the channels it is given). */
  readonly inputChannels: number | 'any';
  run(request: AnalysisRequest, options: { onProgress(p: AnalysisProgress): void; signal: AbortSignal }): Promise<AnalysisOutput>;
  dispose(): void;
}

export interface AnalysisContext {
  /** Jupyter server base URL and token (files are read through it). */
  baseUrl: string;
  token: string;
  /** Wanted tile size along y and x (0: the tool's default). */
  tileSize: number;
  /** Where the extension's static files are served (ONNX Runtime's .wasm). */
  staticUrl: string;
}

export interface AnalysisKind {
  id: string;
  /** Shown in the panel's kind selector, and as a hint for the path field. */
  label: string;
  pathHint: string;
  /** Read and check the tool at a Jupyter server path; throws with a message naming the problem. */
  prepare(path: string, context: AnalysisContext): Promise<PreparedAnalysis>;
}

/** A run stopped by the user. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('the analysis was cancelled');
    this.name = 'AnalysisCancelled';
  }
}
