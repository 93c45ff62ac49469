/** Every analysis node fairio offers; the CLI, Galaxy tools and workflows are generated from this list. */
import type { AnalysisNode } from './node.js';
import { classifyFeatures, classifyPredict, classifyTrain } from './pixel-classifier/nodes.js';
import { predictNode } from './bioimageio/predict-node.js';
import { imagejMacroNode } from './imagej/node.js';
import { thresholdNode } from './ops/threshold.js';
import { labelNode } from './ops/label.js';
import { measureNode } from './ops/measure.js';

export const nodes: AnalysisNode[] = [
  classifyTrain,
  classifyPredict,
  classifyFeatures,
  predictNode,
  imagejMacroNode,
  thresholdNode,
  labelNode,
  measureNode,
];
