/**
 * Why fairio has its own random forest: the maintained npm library
 * (`ml-random-forest`) against fairio's forest and scikit-learn, on the same
 * training set (ilastik features of scribbles on a BBBC033 crop) — training
 * time, prediction throughput, held-out accuracy and agreement.
 *
 *   npm install --no-save ml-random-forest@2.1.0 && npx tsx tests/bench/forest-libraries.ts
 *   FAIRIO_ML_RF_FROM=/elsewhere/package.json npx tsx tests/bench/forest-libraries.ts   # installed elsewhere
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleCrop, scribbles, referenceScript } from '../../model-runner/src/pixel-classifier/__fixtures__/images.js';
import { computeFeatureBlock, featureChannels, fullSelection, smoothField } from '../../model-runner/src/pixel-classifier/features/bank.js';
import { field } from '../../model-runner/src/pixel-classifier/features/field.js';
import { argmaxClasses, predictProbabilities, trainForest } from '../../model-runner/src/pixel-classifier/forest/forest.js';
import { systemPythonPath } from '../helpers/system-python.js';

type MlForest = { train(x: number[][], y: number[]): void; predict(x: number[][]): number[] };
let RandomForestClassifier: new (options: Record<string, unknown>) => MlForest;
try {
  // FAIRIO_ML_RF_FROM: a package.json of a folder where ml-random-forest is installed (instead of this repository)
  ({ RandomForestClassifier } = createRequire(process.env.FAIRIO_ML_RF_FROM ?? import.meta.url)('ml-random-forest') as { RandomForestClassifier: typeof RandomForestClassifier });
} catch {
  console.error('ml-random-forest is not installed: npm install --no-save ml-random-forest@2.1.0 (or set FAIRIO_ML_RF_FROM)');
  process.exit(2);
}

const image = await sampleCrop('BBBC033_C2_z28-lzw.tiff', [256, 160], [768, 672]);
const N = image.shape[0] * image.shape[1];
const selection = fullSelection();
const F = featureChannels(selection, 1, 2).length;
const features = computeFeatureBlock({ channels: [image.data], shape: image.shape, lo: [0, 0], hi: image.shape }, selection);
const { train, heldOut } = scribbles(image, smoothField(field(image.data, image.shape), 2, 3, [0, 0], image.shape).data);
const trainIdx = [...train.keys()].filter((i) => train[i]);
const heldIdx = [...heldOut.keys()].filter((i) => heldOut[i]);
const rows = (idx: number[]) => idx.map((p) => Array.from({ length: F }, (_, f) => features[f * N + p]));
const accuracy = (predicted: ArrayLike<number>, offset = 0) => heldIdx.filter((i) => i - offset >= 0 && i - offset < predicted.length).filter((i) => predicted[i - offset] === heldOut[i]).length / heldIdx.filter((i) => i - offset >= 0 && i - offset < predicted.length).length;

// fairio, one thread
const values = new Float32Array(trainIdx.length * F);
trainIdx.forEach((p, s) => values.set(rows([p])[0], s * F));
let t0 = performance.now();
const forest = trainForest({ values, classes: Uint8Array.from(trainIdx, (p) => train[p] - 1), samples: trainIdx.length, features: F, classCount: 3 }, { trees: 100, seed: 1 });
const fairioTrain = performance.now() - t0;
t0 = performance.now();
const fairioLabels = argmaxClasses(predictProbabilities(forest, features, N), 3, N);
const fairioPredict = performance.now() - t0;

// ml-random-forest (same trees, √features per split, bootstrap), predicting the first 65 536 pixels (it is slow)
const sub = 65536;
t0 = performance.now();
const ml = new RandomForestClassifier({ nEstimators: 100, maxFeatures: Math.floor(Math.sqrt(F)) / F, replacement: true, useSampleBagging: true, seed: 1 });
ml.train(rows(trainIdx), trainIdx.map((p) => train[p]));
const mlTrain = performance.now() - t0;
t0 = performance.now();
const mlLabels = ml.predict(rows([...Array(sub).keys()]));
const mlPredict = performance.now() - t0;

// scikit-learn on the same features
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-forests-'));
fs.writeFileSync(path.join(dir, 'f.f32'), features);
const both = Uint8Array.from(train, (v, i) => v || heldOut[i]);
fs.writeFileSync(path.join(dir, 'l.u8'), both);
fs.writeFileSync(path.join(dir, 't.u8'), Uint8Array.from(train, (v) => (v ? 1 : 0)));
fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ trees: 100, seed: 0, train: path.join(dir, 't.u8'), jobs: 1 }));
const run = spawnSync(systemPythonPath, [referenceScript, 'forest', path.join(dir, 'f.f32'), String(F), path.join(dir, 'l.u8'), path.join(dir, 'sk'), path.join(dir, 'spec.json')], { encoding: 'utf8' });
const sk = JSON.parse(run.stdout.trim().split('\n').pop()!) as { trainSeconds: number; predictSeconds: number; heldOutAccuracy: number };
const skLabels = new Uint8Array(fs.readFileSync(path.join(dir, 'sk.labels.u8')));
fs.rmSync(dir, { recursive: true, force: true });
const agree = (a: ArrayLike<number>, n: number) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (a[i] === skLabels[i]) k++;
  return k / n;
};
console.log(JSON.stringify({
  trainingPixels: trainIdx.length, features: F, trees: 100,
  fairio: { trainSeconds: fairioTrain / 1000, predictMPs: N / fairioPredict / 1000, heldOutAccuracy: accuracy(fairioLabels), agreementWithSklearn: agree(fairioLabels, N) },
  mlRandomForest: { trainSeconds: mlTrain / 1000, predictMPs: sub / mlPredict / 1000, heldOutAccuracy: accuracy(mlLabels), agreementWithSklearn: agree(mlLabels, sub) },
  scikitLearn: { trainSeconds: sk.trainSeconds, predictMPs: N / sk.predictSeconds / 1e6, heldOutAccuracy: sk.heldOutAccuracy },
}, null, 2));
