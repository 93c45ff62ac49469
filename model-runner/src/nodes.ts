/**
 * @fairio/model-runner/nodes: the node interface, the registry of node
 * descriptions and `runNode`, without the bioimage.io, ImageJ and op
 * namespaces of the main entry: what a front door needs to register and
 * run nodes (the CLI, Galaxy tools), each node's work loading on its first
 * run.
 *
 * @module
 */
export * from './node.js';
export { checkParameter, checkParameters, parameterLines } from './parameters.js';
export { runNode, FAIRIO, type RunRecord, type RunRequest, type RunOptions } from './run.js';
export { nodes } from './registry.js';
