/**
 * Every analysis node fairio offers; the CLI, Galaxy tools and workflows are
 * generated from this list. The descriptions are data, loaded with the list;
 * each node's implementation (ONNX Runtime, the pixel classifier, ImageJ…)
 * loads on its first run, so a program that only lists or describes nodes
 * (`fairio --help`, tool generation) never pays for it.
 */
import type { AnalysisNode, NodeDescription } from './node.js';
import { classifyFeaturesDescription, classifyPredictDescription, classifyTrainDescription } from './pixel-classifier/descriptions.js';
import { predictDescription } from './bioimageio/predict-description.js';
import { imagejMacroDescription } from './imagej/description.js';
import { labelDescription, measureDescription, thresholdDescription } from './ops/descriptions.js';

/** A node whose `run` imports the module with the work on first use and hands the run to that module's node. */
function lazyNode(description: NodeDescription, load: () => Promise<AnalysisNode>): AnalysisNode {
  return { description, run: async (context) => (await load()).run(context) };
}

export const nodes: AnalysisNode[] = [
  lazyNode(classifyTrainDescription, async () => (await import('./pixel-classifier/nodes.js')).classifyTrain),
  lazyNode(classifyPredictDescription, async () => (await import('./pixel-classifier/nodes.js')).classifyPredict),
  lazyNode(classifyFeaturesDescription, async () => (await import('./pixel-classifier/nodes.js')).classifyFeatures),
  lazyNode(predictDescription, async () => (await import('./bioimageio/predict-node.js')).predictNode),
  lazyNode(imagejMacroDescription, async () => (await import('./imagej/node.js')).imagejMacroNode),
  lazyNode(thresholdDescription, async () => (await import('./ops/threshold.js')).thresholdNode),
  lazyNode(labelDescription, async () => (await import('./ops/label.js')).labelNode),
  lazyNode(measureDescription, async () => (await import('./ops/measure.js')).measureNode),
];
