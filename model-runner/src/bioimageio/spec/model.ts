/**
 * One typed model for bioimage.io descriptions of format 0.4 and 0.5: what
 * the rest of fairio needs (tensors, axes and their sizes, halos,
 * processing steps, weights, test tensors, tolerances), read defensively
 * from a parsed rdf.yaml / bioimageio.yaml. Format 0.4's axis letters,
 * `shape` objects and processing `mode`s are turned into 0.5's terms here,
 * the way bioimageio.spec converts them, so later layers see one model.
 * Runtime-agnostic: no Node imports.
 */
import type { TensorDtype } from '../processing/tensor.js';

export type AxisType = 'batch' | 'channel' | 'space' | 'time' | 'index';

export type AxisSize =
  | { kind: 'fixed'; size: number }
  /** Any size `min + n * step`, n = 0, 1, 2, … */
  | { kind: 'parameterized'; min: number; step: number }
  /** `size(tensor.axis) * scale + offset`; `scale` is the ratio of the axes' pixel sizes. */
  | { kind: 'reference'; tensorId: string; axisId: string; offset: number; scale: number }
  /** Batch axes without a size, and outputs whose size depends on the data. */
  | { kind: 'any' };

export interface AxisSpec {
  id: string;
  type: AxisType;
  size: AxisSize;
  /** Output pixels on each side that are unreliable and cropped (outputs only). */
  halo: number;
  /** Physical size of a pixel (0.5 `scale`), used to relate sizes of referencing axes. */
  scale: number;
  channelNames?: string[];
}

export interface ProcessingStep {
  /** 0.5 processing id, e.g. 'zero_mean_unit_variance'. */
  id: string;
  kwargs: Record<string, unknown>;
}

export interface FileRef {
  /** Relative path inside the package, or an http(s) URL. */
  source: string;
  sha256?: string;
  /** Where in the description it was named, e.g. 'inputs.0.test_tensor'. */
  field: string;
}

export interface TensorSpec {
  id: string;
  description?: string;
  axes: AxisSpec[];
  dtype: TensorDtype;
  testTensor?: FileRef;
  /** Input pre-processing or output post-processing, in order, as bioimageio.core runs them. */
  processing: ProcessingStep[];
  /** How an input is padded where a tile reaches past the image (0.5 `pad`, else symmetric). */
  pad: { mode: 'symmetric' | 'reflect' | 'edge' | 'constant'; value: number };
  optional?: boolean;
}

export interface Tolerance {
  relative: number;
  absolute: number;
  mismatchedPerMillion: number;
  outputIds: string[];
  weightsFormats: string[];
}

export interface ModelSpec {
  formatVersion: string;
  /** '0.4' or '0.5'. */
  generation: '0.4' | '0.5';
  name: string;
  id?: string;
  description: string;
  license?: string;
  version?: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** The ONNX weights entry, when there is one. */
  onnx?: FileRef & { opsetVersion?: number };
  weightsFormats: string[];
  tolerances: Tolerance[];
  /** Every file the description names (weights, test tensors, covers, documentation, attachments…). */
  files: FileRef[];
}

const AXIS_LETTERS: Record<string, { id: string; type: AxisType }> = {
  b: { id: 'batch', type: 'batch' },
  c: { id: 'channel', type: 'channel' },
  i: { id: 'index', type: 'index' },
  t: { id: 'time', type: 'time' },
  x: { id: 'x', type: 'space' },
  y: { id: 'y', type: 'space' },
  z: { id: 'z', type: 'space' },
};
const DEFAULT_AXIS_ID: Record<string, string> = { batch: 'batch', channel: 'channel', index: 'index', time: 'time', space: 'x' };
const DTYPE_NAMES = new Set(['bool', 'uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'uint64', 'int64', 'float32', 'float64']);

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && !Number.isNaN(v) ? v : fallback);

/** Axis ids of 0.4 letters ('yx' → ['y', 'x']), or 0.5 id lists as they are. */
export function axisIdsOf(axes: unknown): string[] | undefined {
  if (typeof axes === 'string') return [...axes].map((l) => AXIS_LETTERS[l]?.id ?? l);
  if (Array.isArray(axes)) return axes.map((a) => String(a));
  return undefined;
}

function dtypeOf(v: unknown): TensorDtype {
  const name = str(v);
  return name && DTYPE_NAMES.has(name) ? (name as TensorDtype) : 'float32';
}

function fileRef(v: unknown, field: string): FileRef | undefined {
  if (typeof v === 'string') return { source: v, field };
  if (isObject(v) && typeof v.source === 'string') return { source: v.source, sha256: str(v.sha256), field };
  return undefined;
}

/** 0.4 processing `mode` + `axes` letters → 0.5 axis ids (per_dataset includes the batch axis). */
function convertAxes04(kwargs: Doc): string[] | undefined {
  const ids = axisIdsOf(kwargs.axes);
  if (ids === undefined) return undefined;
  return kwargs.mode === 'per_dataset' ? ['batch', ...ids] : ids;
}

/** The one axis a 0.4 per-axis parameter list runs along: the tensor axis that is neither batch nor reduced. */
function alongAxis04(tensorAxes: string[], reduced: string[] | undefined): string | undefined {
  const rest = tensorAxes.filter((a) => a !== 'batch' && !(reduced ?? []).includes(a));
  return rest.length === 1 ? rest[0] : undefined;
}

function processing04(raw: unknown, tensorAxes: string[]): ProcessingStep | undefined {
  if (!isObject(raw)) return undefined;
  const name = str(raw.name);
  if (!name) return undefined;
  const kwargs: Doc = isObject(raw.kwargs) ? { ...raw.kwargs } : {};
  const axes = convertAxes04(kwargs);
  switch (name) {
    case 'zero_mean_unit_variance':
      if (kwargs.mode === 'fixed') {
        const perAxis = Array.isArray(kwargs.mean) || Array.isArray(kwargs.std);
        return {
          id: 'fixed_zero_mean_unit_variance',
          kwargs: perAxis ? { mean: kwargs.mean, std: kwargs.std, axis: alongAxis04(tensorAxes, axes), eps: kwargs.eps ?? 1e-6 } : { mean: kwargs.mean, std: kwargs.std, eps: kwargs.eps ?? 1e-6 },
        };
      }
      return { id: name, kwargs: { axes, eps: kwargs.eps ?? 1e-6 } };
    case 'scale_range':
      return { id: name, kwargs: { axes, min_percentile: kwargs.min_percentile ?? 0, max_percentile: kwargs.max_percentile ?? 100, eps: kwargs.eps ?? 1e-6, reference_tensor: kwargs.reference_tensor } };
    case 'scale_mean_variance':
      return { id: name, kwargs: { axes, eps: kwargs.eps ?? 1e-6, reference_tensor: kwargs.reference_tensor } };
    case 'scale_linear': {
      const perAxis = Array.isArray(kwargs.gain) || Array.isArray(kwargs.offset);
      return { id: name, kwargs: perAxis ? { gain: kwargs.gain ?? 1, offset: kwargs.offset ?? 0, axis: alongAxis04(tensorAxes, axes) } : { gain: kwargs.gain ?? 1, offset: kwargs.offset ?? 0 } };
    }
    default:
      return { id: name, kwargs };
  }
}

function tensor04(raw: Doc, index: number, kind: 'inputs' | 'outputs', testFile: unknown): TensorSpec {
  const letters = typeof raw.axes === 'string' ? raw.axes : '';
  const shape = raw.shape;
  const halo = asArray(raw.halo);
  const axes: AxisSpec[] = [...letters].map((letter, i) => {
    const { id, type } = AXIS_LETTERS[letter] ?? { id: letter, type: 'space' as AxisType };
    let size: AxisSize = { kind: 'any' };
    if (Array.isArray(shape)) {
      size = { kind: 'fixed', size: num(shape[i], 0) };
    } else if (isObject(shape) && Array.isArray(shape.min)) {
      const min = num(shape.min[i], 0);
      const step = num(asArray(shape.step)[i], 0);
      size = step === 0 ? { kind: 'fixed', size: min } : { kind: 'parameterized', min, step };
    } else if (isObject(shape) && typeof shape.reference_tensor === 'string') {
      // 0.4: size = reference size * scale + 2 * offset, axis by axis in order.
      const scale = num(asArray(shape.scale)[i], 1);
      const offset = 2 * num(asArray(shape.offset)[i], 0);
      size = scale === 0 ? { kind: 'fixed', size: offset } : { kind: 'reference', tensorId: shape.reference_tensor, axisId: `#${i}`, offset, scale };
    }
    return { id, type, size, halo: num(halo[i], 0), scale: 1 };
  });
  const id = str(raw.name) ?? `${kind}-${index}`;
  const axisIds = axes.map((a) => a.id);
  const steps = asArray(kind === 'inputs' ? raw.preprocessing : raw.postprocessing).flatMap((p) => processing04(p, axisIds) ?? []);
  // bioimageio.core casts 0.4 tensors to their data type before their processing and to float32 after it.
  const dtype = dtypeOf(raw.data_type);
  const processing = steps.length ? [{ id: 'ensure_dtype', kwargs: { dtype } }, ...steps, { id: 'ensure_dtype', kwargs: { dtype: 'float32' } }] : [{ id: 'ensure_dtype', kwargs: { dtype: 'float32' } }];
  return {
    id,
    description: str(raw.description),
    axes,
    dtype,
    testTensor: fileRef(testFile, `test_${kind}.${index}`),
    processing,
    pad: { mode: 'symmetric', value: 0 },
  };
}

function axis05(raw: unknown): AxisSpec {
  const a = isObject(raw) ? raw : {};
  const type = (str(a.type) ?? 'space') as AxisType;
  const id = str(a.id) ?? DEFAULT_AXIS_ID[type] ?? 'x';
  let size: AxisSize = { kind: 'any' };
  const s = a.size;
  if (type === 'channel') {
    size = { kind: 'fixed', size: asArray(a.channel_names).length };
  } else if (typeof s === 'number') {
    size = { kind: 'fixed', size: s };
  } else if (isObject(s) && typeof s.min === 'number' && typeof s.step === 'number') {
    size = { kind: 'parameterized', min: s.min, step: s.step };
  } else if (isObject(s) && typeof s.tensor_id === 'string') {
    size = { kind: 'reference', tensorId: s.tensor_id, axisId: str(s.axis_id) ?? '', offset: num(s.offset, 0), scale: NaN };
  }
  const channelNames = type === 'channel' ? asArray(a.channel_names).map(String) : undefined;
  return { id, type, size, halo: num(a.halo, 0), scale: num(a.scale, 1), channelNames };
}

function tensor05(raw: Doc, index: number, kind: 'inputs' | 'outputs'): TensorSpec {
  const axes = asArray(raw.axes).map(axis05);
  const data = Array.isArray(raw.data) ? raw.data[0] : raw.data;
  const pad = isObject(raw.pad) ? raw.pad : {};
  return {
    id: str(raw.id) ?? (kind === 'inputs' ? 'input' : 'output'),
    description: str(raw.description),
    axes,
    dtype: dtypeOf(isObject(data) ? data.type : undefined),
    testTensor: fileRef(raw.test_tensor, `${kind}.${index}.test_tensor`),
    processing: asArray(kind === 'inputs' ? raw.preprocessing : raw.postprocessing).flatMap((p) =>
      isObject(p) && typeof p.id === 'string' ? [{ id: p.id, kwargs: isObject(p.kwargs) ? { ...p.kwargs } : {} }] : [],
    ),
    pad: { mode: (str(pad.mode) as TensorSpec['pad']['mode']) ?? 'symmetric', value: num(pad.value, 0) },
    optional: raw.optional === true,
  };
}

/** Resolve size references: 0.4 references by position, 0.5 scales from the axes' pixel sizes. */
function resolveReferences(model: ModelSpec): void {
  const tensors = new Map([...model.inputs, ...model.outputs].map((t) => [t.id, t]));
  for (const t of [...model.inputs, ...model.outputs]) {
    t.axes.forEach((axis, i) => {
      if (axis.size.kind !== 'reference') return;
      const ref = tensors.get(axis.size.tensorId);
      if (axis.size.axisId.startsWith('#')) {
        axis.size.axisId = ref?.axes[i]?.id ?? axis.id;
        return;
      }
      const target = ref?.axes.find((a) => a.id === (axis.size as { axisId: string }).axisId);
      // Sizes scale inversely with pixel size: an output at twice the pixel size has half the pixels.
      axis.size.scale = target ? target.scale / axis.scale : 1;
    });
  }
}

function collectFiles05(doc: Doc): FileRef[] {
  const files: FileRef[] = [];
  const add = (v: unknown, field: string) => {
    const ref = fileRef(v, field);
    if (ref) files.push(ref);
  };
  asArray(doc.inputs).forEach((t, i) => {
    if (!isObject(t)) return;
    add(t.test_tensor, `inputs.${i}.test_tensor`);
    add(t.sample_tensor, `inputs.${i}.sample_tensor`);
  });
  asArray(doc.outputs).forEach((t, i) => {
    if (!isObject(t)) return;
    add(t.test_tensor, `outputs.${i}.test_tensor`);
    add(t.sample_tensor, `outputs.${i}.sample_tensor`);
  });
  if (isObject(doc.weights)) {
    for (const [format, entry] of Object.entries(doc.weights)) {
      if (!isObject(entry)) continue;
      add(entry, `weights.${format}`);
      if (isObject(entry.architecture)) add(entry.architecture, `weights.${format}.architecture`);
      if (isObject(entry.dependencies)) add(entry.dependencies, `weights.${format}.dependencies`);
      if (isObject(entry.environment)) add(entry.environment, `weights.${format}.environment`);
    }
  }
  asArray(doc.covers).forEach((c, i) => add(c, `covers.${i}`));
  asArray(doc.attachments).forEach((a, i) => add(a, `attachments.${i}`));
  add(doc.documentation, 'documentation');
  return files;
}

function collectFiles04(doc: Doc): FileRef[] {
  const files: FileRef[] = [];
  const add = (v: unknown, field: string, sha256?: unknown) => {
    const ref = fileRef(v, field);
    if (ref) files.push({ ...ref, sha256: ref.sha256 ?? str(sha256) });
  };
  for (const key of ['test_inputs', 'test_outputs', 'sample_inputs', 'sample_outputs', 'covers']) asArray(doc[key]).forEach((f, i) => add(f, `${key}.${i}`));
  if (isObject(doc.weights)) {
    for (const [format, entry] of Object.entries(doc.weights)) {
      if (!isObject(entry)) continue;
      add(entry.source, `weights.${format}`, entry.sha256);
      // 'unet2d.py:UNet2d' names a file; 'package.module.Class' an importable class.
      if (typeof entry.architecture === 'string' && entry.architecture.includes(':')) add(entry.architecture.split(':')[0], `weights.${format}.architecture`, entry.architecture_sha256);
      if (typeof entry.dependencies === 'string' && entry.dependencies.includes(':')) add(entry.dependencies.split(':').slice(1).join(':'), `weights.${format}.dependencies`);
    }
  }
  if (isObject(doc.attachments)) asArray(doc.attachments.files).forEach((f, i) => add(f, `attachments.files.${i}`));
  if (typeof doc.documentation === 'string') add(doc.documentation, 'documentation');
  return files;
}

function tolerances(doc: Doc, generation: '0.4' | '0.5'): Tolerance[] {
  const config = isObject(doc.config) ? doc.config : {};
  const bioimageio = isObject(config.bioimageio) ? config.bioimageio : {};
  if (generation === '0.4') {
    // bioimageio.core: 0.4 models use absolute/relative 1e-3 and tolerate no mismatched element.
    return [{ relative: 1e-3, absolute: 1e-3, mismatchedPerMillion: 0, outputIds: [], weightsFormats: [] }];
  }
  const given = asArray(bioimageio.reproducibility_tolerance).filter(isObject).map((t) => ({
    relative: num(t.relative_tolerance, 1e-3),
    absolute: num(t.absolute_tolerance, 1e-3),
    mismatchedPerMillion: num(t.mismatched_elements_per_million, 100),
    outputIds: asArray(t.output_ids).map(String),
    weightsFormats: asArray(t.weights_formats).map(String),
  }));
  return [...given, { relative: 1e-3, absolute: 1e-3, mismatchedPerMillion: 100, outputIds: [], weightsFormats: [] }];
}

/** The tolerance bioimageio.core applies to one output and weights format: the first entry that matches. */
export function toleranceFor(model: ModelSpec, outputId: string, weightsFormat = 'onnx'): Tolerance {
  return model.tolerances.find((t) => (!t.weightsFormats.length || t.weightsFormats.includes(weightsFormat)) && (!t.outputIds.length || t.outputIds.includes(outputId)))!;
}

/**
 * Read a (schema-checked or not) description into the typed model. Never
 * throws on odd input: missing pieces get neutral values, and the semantic
 * checks report them.
 */
export function readModelSpec(doc: Doc): ModelSpec {
  const formatVersion = str(doc.format_version) ?? '';
  const generation: '0.4' | '0.5' = formatVersion.startsWith('0.4') ? '0.4' : '0.5';
  const weights = isObject(doc.weights) ? doc.weights : {};
  const onnxEntry = isObject(weights.onnx) ? weights.onnx : undefined;
  // The two generations differ only in how tensors and files are described.
  const is04 = generation === '0.4';
  const model: ModelSpec = {
    formatVersion,
    generation,
    name: str(doc.name) ?? '',
    id: str(doc.id),
    description: str(doc.description) ?? '',
    license: str(doc.license),
    version: str(doc.version),
    inputs: asArray(doc.inputs).filter(isObject).map((t, i) => (is04 ? tensor04(t, i, 'inputs', asArray(doc.test_inputs)[i]) : tensor05(t, i, 'inputs'))),
    outputs: asArray(doc.outputs).filter(isObject).map((t, i) => (is04 ? tensor04(t, i, 'outputs', asArray(doc.test_outputs)[i]) : tensor05(t, i, 'outputs'))),
    onnx: onnxEntry && typeof onnxEntry.source === 'string' ? { source: onnxEntry.source, sha256: str(onnxEntry.sha256), field: 'weights.onnx', opsetVersion: typeof onnxEntry.opset_version === 'number' ? onnxEntry.opset_version : undefined } : undefined,
    weightsFormats: Object.keys(weights),
    tolerances: tolerances(doc, generation),
    files: is04 ? collectFiles04(doc) : collectFiles05(doc),
  };
  resolveReferences(model);
  return model;
}
