/**
 * Worker entry of the encode pool (`createEncodePool`): encodes blocks and
 * writes their chunk files off the main thread.
 */
import { serveTasks } from '../blocks/worker.js';
import { writeBlockTask, type WriteResult, type WriteTask } from './write-block.js';

serveTasks<WriteTask, WriteResult>((task) => writeBlockTask(task));
