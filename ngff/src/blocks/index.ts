/**
 * Chunk-wise processing: block plans with halo, and a worker pool that runs
 * independent blocks in parallel with bounded memory.
 *
 * ```ts
 * import { planBlocks, WorkerPool } from './blocks/index.js';
 *
 * const pool = new WorkerPool<Task, Result>(new URL('./filter.worker.js', import.meta.url));
 * const blocks = planBlocks([512, 2048, 2048], [64, 256, 256], { halo: [0, 8, 8] });
 * for await (const result of pool.map(blocks, (block) => ({ block }))) save(result);
 * await pool.close();
 * ```
 */
export { planBlocks, iterateBlocks, blockAt, gridShape, blockCount, MAX_PLANNED_BLOCKS, type Block, type PlanOptions } from './plan.js';
export { WorkerPool, type WorkerPoolOptions, type MapOptions } from './pool.js';
export { serveTasks, type TaskContext, type TaskHandler } from './worker.js';
export { boundedMap } from './bounded.js';
export { SpareArrays } from './spare.js';
