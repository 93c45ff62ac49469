/**
 * A worker for the pool's tests: doubles numbers (moving the buffer both
 * ways), fails in the ways real tasks fail, sleeps, and crashes.
 */
import { FairioError } from '../../errors.js';
import { serveTasks } from '../worker.js';

export type EchoTask =
  | { kind: 'double'; data: Float64Array }
  | { kind: 'sleep'; ms: number; value: number }
  | { kind: 'throw'; message: string }
  | { kind: 'throw-fairio'; message: string }
  | { kind: 'exit'; code: number }
  | { kind: 'uncaught'; message: string }
  | { kind: 'thread' };

serveTasks<EchoTask, unknown>(async (task, { transfer }) => {
  switch (task.kind) {
    case 'double': {
      for (let i = 0; i < task.data.length; i++) task.data[i] *= 2;
      transfer(task.data.buffer as ArrayBuffer);
      return task.data;
    }
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, task.ms));
      return task.value;
    case 'throw':
      throw new Error(task.message);
    case 'throw-fairio':
      throw new FairioError('CORRUPT_CHUNK', task.message, { path: 'img.zarr/0/c/1/2' });
    case 'exit':
      process.exit(task.code);
      break;
    case 'uncaught':
      setTimeout(() => {
        throw new Error(task.message);
      });
      return new Promise(() => undefined);
    case 'thread':
      return (await import('node:worker_threads')).threadId;
  }
});
