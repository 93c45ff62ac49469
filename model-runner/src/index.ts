/**
 * @fairio/model-runner: fairio's analysis nodes behind one interface.
 *
 * ```ts
 * import { nodes, runNode } from '@fairio/model-runner';
 * const threshold = nodes.find((n) => n.description.id === 'threshold')!;
 * const { record } = await runNode(threshold, {
 *   inputs: { image: 'cells.ome.zarr' }, parameters: { method: 'otsu' }, outputs: { mask: 'mask.ome.zarr' },
 * });
 * ```
 *
 * @module
 */
export * from './nodes.js';
export * as bioimageio from './bioimageio/index.js';
export * as imagej from './imagej/index.js';
export * as ops from './ops/index.js';
