/** Worker side of parallel forest training: grows a range of trees from shared training data. */
import { serveTasks } from '@fairio/ngff/worker';
import { growTrees } from './forest.js';
import type { TrainTask } from './train-parallel.js';
import type { TreeArrays } from './tree.js';

serveTasks<TrainTask, TreeArrays[]>((task, { transfer }) => {
  const data = {
    values: new Float32Array(task.values),
    classes: new Uint8Array(task.classes),
    samples: task.samples,
    features: task.features,
    classCount: task.classCount,
  };
  const trees = growTrees(data, task.seed, task.first, task.count, task.options);
  for (const t of trees) transfer(...[t.feature, t.threshold, t.left, t.right, t.value].map((a) => a.buffer as ArrayBuffer));
  return trees;
});
