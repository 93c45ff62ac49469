/**
 * The pixel classifier in a browser: decode a trained classifier file from
 * its bytes (as fetched from Jupyter's contents API or the extension's
 * /fairio/stores route), work out the box of pixels a region needs (its
 * halo), and classify the region on this thread (`classifyRegion`) or in web
 * workers (`ClassifierWorkers` on the page, `serveClassifierWorker` in each
 * worker). The same feature bank and forest code as `fairio classify`, so
 * the result is the command line's, bit for bit. Nothing here imports Node
 * built-ins (checked by browser.test.ts).
 */
import { FairioError } from '@fairio/ngff/errors';
import { parseClassifier, type PixelClassifier } from './classifier-format.js';

export { parseClassifier, CLASSIFIER_FORMAT, CLASSIFIER_VERSION, type PixelClassifier, type ClassInfo, type TrainingRecord } from './classifier-format.js';
export { featureChannels, featureHalo, FEATURE_NAMES, type FeatureSelection } from './features/bank.js';
export { classifierReadBox, classifyRegion, haloedBox, type Box, type RegionOptions, type RegionResult } from './apply/region.js';
export { ClassifierWorkers, ClassifierWorkerError, serveClassifierWorker, type LoadedClassifier, type MessageEndpoint, type WorkerClassifyOptions } from './apply/web-workers.js';

/** Decode a classifier file's bytes (UTF-8 JSON); `where` names it in errors. */
export function parseClassifierBytes(bytes: Uint8Array, where: string): PixelClassifier {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new FairioError('INVALID_JSON', 'is not a fairio classifier (not UTF-8 text)', { path: where, cause: error });
  }
  return parseClassifier(text, where);
}
