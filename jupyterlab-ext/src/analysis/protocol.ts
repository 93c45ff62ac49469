/**
 * Messages between the page and an analysis worker (the model worker, the
 * pixel-classifier worker). One operation at a time: `prepare` (read and
 * check the tool: the model and its ONNX session, or the classifier file),
 * then any number of `run`s; cancelling terminates the worker. Every worker
 * answers with `FromAnalysisWorker` messages.
 */
import type { AnalysisDescription, AnalysisOutput, AnalysisProgress, AnalysisRequest } from './runner.js';
import type { JupyterServer } from './jupyter-files.js';

export type ToModelWorker =
  | { type: 'prepare'; server: JupyterServer; path: string; wasmUrl: string; threads: number }
  | { type: 'run'; request: AnalysisRequest; tile: number };

export type ToClassifierWorker = { type: 'prepare'; server: JupyterServer; path: string } | { type: 'run'; request: AnalysisRequest };

export type FromAnalysisWorker =
  | { type: 'prepared'; description: AnalysisDescription; inputChannels: number | 'any' }
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'result'; output: AnalysisOutput }
  | { type: 'error'; code: string; message: string };
