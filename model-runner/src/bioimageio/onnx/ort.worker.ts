/**
 * The worker thread behind `openOnnxWorker`: it holds one ONNX Runtime
 * session (onnxruntime-node) and runs it on request, so that a run, which
 * onnxruntime-node performs synchronously on the calling thread, blocks
 * this thread instead of the main one. Inputs arrive and outputs leave as
 * moved buffers (no copies), and the inputs' buffers go back after the run.
 */
// The narrow entry points, not ngff's index: this thread starts inside every prediction's timed part, and loading
// the whole of ngff (zarrita, TIFF, validation schemas) costs about 0.3 CPU s that it never uses.
import { FairioError } from '@fairio/ngff/errors';
import { serveTasks } from '@fairio/ngff/worker';
import { openOnnxModel } from './node.js';
import type { OnnxModel } from './session.js';
import type { WorkerReply, WorkerTask } from './worker-protocol.js';

let model: OnnxModel | undefined;

serveTasks<WorkerTask, WorkerReply>(async (task, { transfer }) => {
  if (task.kind === 'open') {
    await model?.release();
    model = await openOnnxModel(task.model, task.options);
    return { kind: 'opened', inputTypes: model.inputTypes, inputShapes: model.inputShapes, outputCount: model.outputCount };
  }
  if (task.kind === 'release') {
    await model?.release();
    model = undefined;
    return { kind: 'released' };
  }
  if (!model) throw new FairioError('IO_ERROR', 'the ONNX Runtime worker has no open session (it was restarted after a crash)');
  const outputs = await model.run(task.inputs);
  // ORT's output tensors own fresh buffers; move them when they are whole buffers of their own. The inputs go back
  // too (ONNX Runtime reads them only during the run), so the caller refills them instead of allocating new tiles.
  const inputs = task.inputs.map((t) => t.data);
  for (const data of [...outputs.map((o) => o.data), ...inputs]) if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) transfer(data.buffer as ArrayBuffer);
  return { kind: 'outputs', outputs, inputs };
});
