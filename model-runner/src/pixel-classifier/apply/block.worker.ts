/** Worker side of the classifier's block pool: features, samples and predictions for one block. */
import { serveTasks } from '@fairio/ngff/worker';
import { runBlockTask, type BlockTask } from './tasks.js';

serveTasks<BlockTask, Float32Array | Uint8Array>((task, { transfer }) => {
  const result = runBlockTask(task);
  transfer(result.buffer as ArrayBuffer);
  return result;
});
