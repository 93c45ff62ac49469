/**
 * The fairio pixel-classifier kind: a trained `.fairio-rf` (from `fairio
 * classify train`) applied to the region in its own web worker
 * (classifier-worker.ts); the result is the class of each pixel, shown with
 * the classifier's class colours.
 */
import type { ToClassifierWorker } from './protocol.js';
import type { AnalysisKind } from './runner.js';
import { AnalysisWorker, prepareInWorker } from './worker-client.js';

/** The worker's bundled source (~100 KB: zarrita, the feature bank, the forest), its own webpack chunk. */
const source = () => import('../classifier-worker-source.js');

export const classifierKind: AnalysisKind = {
  id: 'pixel-classifier',
  label: 'fairio pixel classifier',
  pathHint: '.fairio-rf file (from fairio classify train)',
  prepare: (path, context) =>
    prepareInWorker<ToClassifierWorker>(new AnalysisWorker('fairio-classifier', source), { type: 'prepare', server: { baseUrl: context.baseUrl, token: context.token }, path }, (request) => ({ type: 'run', request })),
};
