/**
 * Messages between the page and the model worker. One operation at a time:
 * `prepare` (read and check the model, open the ONNX session), then any
 * number of `run`s; cancelling terminates the worker.
 */
import type { AnalysisDescription, AnalysisOutput, AnalysisProgress, AnalysisRequest } from './runner.js';
import type { JupyterServer } from './jupyter-files.js';

export type ToModelWorker =
  | { type: 'prepare'; server: JupyterServer; path: string; wasmUrl: string; threads: number }
  | { type: 'run'; request: AnalysisRequest; tile: number };

export type FromModelWorker =
  | { type: 'prepared'; description: AnalysisDescription; inputChannels: number | 'any' }
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'result'; output: AnalysisOutput }
  | { type: 'error'; code: string; message: string };
