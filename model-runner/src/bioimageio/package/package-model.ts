/**
 * `fairio model package`: a valid bioimage.io 0.5 model package for an ONNX
 * file. The description is written from a few facts (axes, sizes, halo,
 * processing, authors, licence); the test output is computed honestly by
 * running the packaged model on the test input with the described
 * processing; every file gets its sha256; and the package is validated
 * (schema and fairio's checks) before it is moved into place. Output is a
 * folder, or a `.zip` when the path ends so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import YAML from 'yaml';
import { FairioError, syntheticSample, writeAtomically } from '@fairio/ngff';
import { readNpy, writeNpy } from '../npy.js';
import { openOnnxModel } from '../onnx/node.js';
import { readOnnxSignature } from '../onnx/proto.js';
import type { NdArray } from '../processing/tensor.js';
import { sha256Of } from '../spec/load.js';
import { readModelSpec } from '../spec/model.js';
import { predictArrays } from '../tiling/predict.js';
import { openModelPackage } from '../spec/load.js';
import { validatePackage } from '../spec/validate.js';
import { buildDemoNetwork, DEMO_HALO } from './demo-network.js';

export interface PackageOptions {
  /** ONNX file, or its bytes. */
  onnx: string | Uint8Array;
  /** Folder, or a path ending in .zip. */
  output: string;
  name: string;
  description: string;
  authors: { name: string; affiliation?: string; github_user?: string }[];
  license: string;
  /** Test input in the model's axes (b, c, [z,] y, x). */
  testInput: NdArray;
  /** Axis letters of input and output, e.g. 'bcyx' (default). */
  axes?: string;
  inputId?: string;
  outputId?: string;
  inputChannels?: string[];
  outputChannels?: string[];
  /** Valid spatial sizes: min + n·step (default: the ONNX static size, else min 64 step 16). */
  min?: number;
  step?: number;
  /** Output halo in pixels along the spatial axes. */
  halo?: number;
  preprocessing?: { id: string; kwargs?: Record<string, unknown> }[];
  postprocessing?: { id: string; kwargs?: Record<string, unknown> }[];
  tags?: string[];
  cite?: { text: string; doi?: string; url?: string }[];
  documentation?: string;
  gitRepo?: string;
  version?: string;
  /** ISO 8601 creation time (default: $SOURCE_DATE_EPOCH, else now), fixed for reproducible packages. */
  timestamp?: string;
  overwrite?: boolean;
}

const AXIS_TYPES: Record<string, string> = { b: 'batch', c: 'channel', z: 'space', y: 'space', x: 'space', t: 'time' };

function axesFor(letters: string, role: 'input' | 'output', options: PackageOptions, staticDims: (number | string | undefined)[]): Record<string, unknown>[] {
  const inputId = options.inputId ?? 'raw';
  return [...letters].map((letter, i) => {
    const type = AXIS_TYPES[letter];
    if (!type) throw new FairioError('INVALID_ARGUMENT', `axis letter "${letter}" is not one of b, c, t, z, y, x`);
    if (type === 'batch') return { type };
    if (type === 'channel') {
      const names = (role === 'input' ? options.inputChannels : options.outputChannels) ?? [role === 'input' ? 'channel0' : 'prediction'];
      return { type, channel_names: names };
    }
    if (role === 'output') return { type, id: letter === 't' ? 'time' : letter, size: { tensor_id: inputId, axis_id: letter === 't' ? 'time' : letter }, ...(options.halo ? { halo: options.halo } : {}) };
    const fixed = typeof staticDims[i] === 'number' ? (staticDims[i] as number) : undefined;
    const size = fixed ?? { min: options.min ?? 64, step: options.step ?? 16 };
    return { type, id: letter === 't' ? 'time' : letter, size };
  });
}

/** Write the package; returns the description and the test comparison of the written package. */
export async function packageModel(options: PackageOptions): Promise<{ path: string; description: Record<string, unknown> }> {
  const onnxBytes = typeof options.onnx === 'string' ? new Uint8Array(fs.readFileSync(options.onnx)) : options.onnx;
  const signature = readOnnxSignature(onnxBytes);
  if (signature.inputs.length !== 1 || signature.outputs.length < 1) throw new FairioError('UNSUPPORTED', `fairio packages ONNX models with one input; this one has ${signature.inputs.length}`);
  const letters = options.axes ?? 'bcyx';
  if (options.testInput.shape.length !== letters.length) throw new FairioError('INVALID_ARGUMENT', `the test input has ${options.testInput.shape.length} dimensions but the axes "${letters}" have ${letters.length}`);
  const inputId = options.inputId ?? 'raw';
  const outputId = options.outputId ?? 'prediction';
  const testInputNpy = writeNpy(options.testInput);
  const doc: Record<string, unknown> = {
    format_version: '0.5.4',
    type: 'model',
    name: options.name,
    description: options.description,
    authors: options.authors,
    cite: options.cite ?? [{ text: 'fairio: FAIR bioimage analysis in JupyterLab and Galaxy', url: 'https://github.com/fairio/fairio' }],
    license: options.license,
    tags: options.tags ?? [],
    documentation: 'README.md',
    ...(options.gitRepo ? { git_repo: options.gitRepo } : {}),
    version: options.version ?? '0.1.0',
    timestamp: options.timestamp ?? new Date(process.env.SOURCE_DATE_EPOCH ? Number(process.env.SOURCE_DATE_EPOCH) * 1000 : Date.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    inputs: [
      {
        id: inputId,
        description: 'input image',
        axes: axesFor(letters, 'input', options, signature.inputs[0].dims),
        data: { type: options.testInput.dtype },
        test_tensor: { source: 'test_input.npy', sha256: sha256Of(testInputNpy) },
        preprocessing: options.preprocessing ?? [],
      },
    ],
    outputs: [
      {
        id: outputId,
        description: 'model output',
        axes: axesFor(letters, 'output', options, signature.outputs[0].dims),
        data: { type: 'float32' },
        test_tensor: { source: 'test_output.npy', sha256: '' },
        postprocessing: options.postprocessing ?? [],
      },
    ],
    weights: { onnx: { source: 'weights.onnx', sha256: sha256Of(onnxBytes), opset_version: signature.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 17 } },
  };

  // The honest test output: run the packaged model on the test input with the described processing.
  const model = readModelSpec(doc);
  const session = await openOnnxModel(onnxBytes);
  let output: NdArray;
  try {
    [output] = await predictArrays(model, session, [options.testInput], { mode: 'direct' });
  } finally {
    await session.release();
  }
  if (output.dtype !== 'float32') output = { ...output, data: Float32Array.from(output.data as Float32Array, Number), dtype: 'float32' };
  const testOutputNpy = writeNpy(output);
  ((doc.outputs as Record<string, unknown>[])[0].test_tensor as Record<string, unknown>).sha256 = sha256Of(testOutputNpy);

  const files: Record<string, Uint8Array> = {
    'rdf.yaml': new TextEncoder().encode(YAML.stringify(doc, { lineWidth: 0 })),
    'weights.onnx': onnxBytes,
    'test_input.npy': testInputNpy,
    'test_output.npy': testOutputNpy,
    'README.md': new TextEncoder().encode(options.documentation ?? `# ${options.name}\n\n${options.description}\n`),
  };
  const zip = options.output.toLowerCase().endsWith('.zip');
  await writeAtomically(
    options.output,
    async (temp) => {
      const folder = zip ? `${temp}.folder` : temp;
      fs.mkdirSync(folder, { recursive: true });
      for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), bytes);
      try {
        const report = await validatePackage(await openModelPackage(folder));
        if (!report.valid) throw new FairioError('INVALID_METADATA', `the written description is not valid: ${report.findings.filter((f) => f.severity === 'error').map((f) => f.message).join('; ')}`);
        if (zip) fs.writeFileSync(temp, zipSync(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, [b, { level: n.endsWith('.onnx') || n.endsWith('.npy') ? 6 : 9 }]]))));
      } finally {
        if (zip) fs.rmSync(folder, { recursive: true, force: true });
      }
      return undefined;
    },
    { overwrite: options.overwrite },
  );
  return { path: options.output, description: doc };
}

/** A test input for the demo: the middle DAPI plane of fairio's synthetic sample (256 × 256, uint16). */
export function demoTestInput(): NdArray {
  const sample = syntheticSample({ width: 256, height: 256, depth: 3, nuclei: 24, seed: 7 });
  const planes = [...sample.planes()];
  // Planes are z fastest, then channel: channel 0 (DAPI), z = 1.
  const plane = planes[1];
  return { data: Uint16Array.from(plane), shape: [1, 1, sample.height, sample.width], dtype: 'uint16' };
}

/** Build fairio's demo nucleus model package at `output`. */
export async function packageDemoModel(output: string, options: { overwrite?: boolean; version?: string } = {}): Promise<{ path: string; description: Record<string, unknown> }> {
  return packageModel({
    onnx: buildDemoNetwork(options.version),
    output,
    name: 'fairio nuclei demo',
    description: 'Nucleus probability from a nuclear stain (e.g. DAPI) with fixed Gaussian and Laplacian-of-Gaussian filters; a small, real ONNX network built by fairio for its demo, not a trained model.',
    authors: [{ name: 'fairio contributors' }],
    license: 'GPL-3.0-or-later',
    testInput: demoTestInput(),
    inputId: 'raw',
    outputId: 'probability',
    inputChannels: ['dapi'],
    outputChannels: ['nucleus_probability'],
    min: 64,
    step: 16,
    halo: DEMO_HALO,
    preprocessing: [
      { id: 'ensure_dtype', kwargs: { dtype: 'float32' } },
      { id: 'scale_range', kwargs: { axes: ['y', 'x'], min_percentile: 1, max_percentile: 99.8 } },
      { id: 'ensure_dtype', kwargs: { dtype: 'float32' } },
    ],
    postprocessing: [{ id: 'sigmoid' }, { id: 'ensure_dtype', kwargs: { dtype: 'float32' } }],
    tags: ['nuclei', 'segmentation', 'fluorescence-light-microscopy', '2d', 'onnx', 'fairio-demo'],
    documentation: [
      '# fairio nuclei demo',
      '',
      'A small ONNX network built by `fairio model package --demo` (no training, no third-party weights).',
      '',
      '- input `raw`: one nuclear-stain channel, any size of 64 + 16·n pixels; scaled to its 1st–99.8th percentiles per image',
      '- network: a 31×31 convolution (Gaussian σ 2 px and scale-normalised −LoG σ 5 px), a 1×1 convolution combining them into logits',
      '- output `probability`: sigmoid of the logits; a halo of 16 px covers the receptive field (15 px), so tiled prediction is exact',
      '',
      '# Validation',
      '',
      'Test tensors: a 256×256 plane of fairio\'s synthetic sample and the output of this network on it (`fairio model test` and bioimageio.core reproduce it). The filters are not trained: expect nuclei-like blobs of 7–15 px to light up, not a segmentation benchmark.',
      '',
    ].join('\n'),
    overwrite: options.overwrite,
    version: options.version,
    timestamp: '2026-01-01T00:00:00Z',
  });
}

/** Read a test input .npy for `fairio model package`. */
export function readTestInput(file: string): NdArray {
  return readNpy(fs.readFileSync(file), { where: file });
}
