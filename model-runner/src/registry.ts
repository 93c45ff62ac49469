/** Every analysis node fairio offers; the CLI, Galaxy tools and workflows are generated from this list. */
import type { AnalysisNode } from './node.js';
import { classifyFeatures, classifyPredict, classifyTrain } from './pixel-classifier/nodes.js';
import { predictNode } from './bioimageio/predict-node.js';
import { imagejMacroNode } from './imagej/node.js';

export const nodes: AnalysisNode[] = [
  classifyTrain,
  classifyPredict,
  classifyFeatures,
  predictNode,
  imagejMacroNode,
];
