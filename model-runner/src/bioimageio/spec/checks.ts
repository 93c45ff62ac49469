/**
 * The checks a JSON Schema cannot express, each a small named function that
 * returns findings: tensor ids unique, size references resolve, halos only
 * where allowed, file paths stay inside the package, every file's sha256
 * matches, the ONNX graph agrees with the declared axes, and no tensor is
 * declared so large that a single tile could exhaust memory. Files are
 * reached through `PackageFiles`, so the checks run on folders, zips and
 * URLs alike (and in the browser, given a fetch-based implementation).
 */
import { readOnnxSignature, type OnnxSignature } from '../onnx/proto.js';
import { error, info, warning, type Finding } from './findings.js';
import type { AxisSpec, FileRef, ModelSpec, TensorSpec } from './model.js';

export interface PackageFiles {
  /** Where the package is, for messages. */
  location: string;
  /** undefined when the file is not in the package. */
  sha256(source: string): Promise<string | undefined>;
  read(source: string): Promise<Uint8Array>;
}

/** A single tile of one tensor may not be declared larger than this (default 2 GiB of float32). */
export const MAX_TENSOR_BYTES = 2 ** 31;

export function isRemote(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Why a file reference is unsafe, or undefined: only relative paths inside the package and http(s) URLs are followed. */
export function unsafePathReason(source: string): string | undefined {
  if (isRemote(source)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) return `"${source}" uses a URL scheme other than http(s)`;
  if (source.startsWith('/') || source.startsWith('\\') || /^[a-z]:[\\/]/i.test(source)) return `"${source}" is an absolute path; files must lie inside the model package`;
  if (source.includes('\\')) return `"${source}" contains a backslash; use forward slashes inside the package`;
  if (source.split('/').some((part) => part === '..')) return `"${source}" climbs out of the model package with ".."`;
  if (source.includes('\0')) return `"${source}" contains a NUL character`;
  return undefined;
}

const where = (kind: 'inputs' | 'outputs', i: number) => `${kind}.${i}`;

function tensorsWithPlace(model: ModelSpec): { tensor: TensorSpec; place: string; kind: 'inputs' | 'outputs' }[] {
  return [
    ...model.inputs.map((tensor, i) => ({ tensor, place: where('inputs', i), kind: 'inputs' as const })),
    ...model.outputs.map((tensor, i) => ({ tensor, place: where('outputs', i), kind: 'outputs' as const })),
  ];
}

export function checkUniqueTensorIds(model: ModelSpec): Finding[] {
  const seen = new Map<string, string>();
  const findings: Finding[] = [];
  for (const { tensor, place } of tensorsWithPlace(model)) {
    const first = seen.get(tensor.id);
    if (first) findings.push(error('duplicate-tensor-id', `tensor id "${tensor.id}" is used twice (${first} and ${place}); every input and output needs its own id`, place));
    else seen.set(tensor.id, place);
  }
  return findings;
}

export function checkUniqueAxisIds(model: ModelSpec): Finding[] {
  return tensorsWithPlace(model).flatMap(({ tensor, place }) => {
    const ids = tensor.axes.map((a) => a.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    return dup ? [error('duplicate-axis-id', `tensor "${tensor.id}" has two axes with id "${dup}"`, `${place}.axes`)] : [];
  });
}

export function checkSizeReferences(model: ModelSpec): Finding[] {
  const tensors = new Map([...model.inputs, ...model.outputs].map((t) => [t.id, t]));
  const findings: Finding[] = [];
  for (const { tensor, place } of tensorsWithPlace(model)) {
    tensor.axes.forEach((axis, i) => {
      if (axis.size.kind !== 'reference') return;
      const ref = tensors.get(axis.size.tensorId);
      const field = `${place}.axes.${i}.size`;
      if (!ref) findings.push(error('unresolved-size-reference', `axis "${axis.id}" of "${tensor.id}" takes its size from tensor "${axis.size.tensorId}", which does not exist`, field));
      else if (!ref.axes.some((a) => a.id === (axis.size as { axisId: string }).axisId))
        findings.push(error('unresolved-size-reference', `axis "${axis.id}" of "${tensor.id}" takes its size from axis "${axis.size.axisId}" of "${ref.id}", which has no such axis`, field));
      else if (ref === tensor && axis.size.axisId === axis.id) findings.push(error('unresolved-size-reference', `axis "${axis.id}" of "${tensor.id}" takes its size from itself`, field));
    });
  }
  return findings;
}

/** Smallest size an axis can have (following references), or undefined when unknown. */
export function minimalSize(model: ModelSpec, axis: AxisSpec, depth = 0): number | undefined {
  const s = axis.size;
  if (s.kind === 'fixed') return s.size;
  if (s.kind === 'parameterized') return s.min;
  if (s.kind === 'any' || depth > 8) return axis.type === 'batch' ? 1 : undefined;
  const ref = [...model.inputs, ...model.outputs].find((t) => t.id === s.tensorId)?.axes.find((a) => a.id === s.axisId);
  const base = ref ? minimalSize(model, ref, depth + 1) : undefined;
  return base === undefined ? undefined : Math.floor(base * (Number.isFinite(s.scale) ? s.scale : 1) + s.offset);
}

export function checkHalos(model: ModelSpec): Finding[] {
  const findings: Finding[] = [];
  for (const { tensor, place, kind } of tensorsWithPlace(model)) {
    tensor.axes.forEach((axis, i) => {
      if (!axis.halo) return;
      const field = `${place}.axes.${i}.halo`;
      if (axis.halo < 0 || !Number.isInteger(axis.halo)) findings.push(error('invalid-halo', `halo ${axis.halo} on axis "${axis.id}" of "${tensor.id}" must be a whole number ≥ 0`, field));
      else if (kind === 'inputs') findings.push(error('halo-not-allowed', `input "${tensor.id}" declares a halo on axis "${axis.id}"; halos belong to outputs`, field));
      else if (axis.type === 'batch' || axis.type === 'channel' || axis.type === 'index') findings.push(error('halo-not-allowed', `halo on the ${axis.type} axis of "${tensor.id}"; only space and time axes can have one`, field));
      else {
        const min = minimalSize(model, axis);
        if (min !== undefined && 2 * axis.halo >= min) findings.push(error('halo-too-large', `halo ${axis.halo} on axis "${axis.id}" of "${tensor.id}" leaves nothing of its smallest size ${min} after cropping both sides`, field));
      }
    });
  }
  return findings;
}

export function checkDeclaredSizes(model: ModelSpec, maxBytes = MAX_TENSOR_BYTES): Finding[] {
  return tensorsWithPlace(model).flatMap(({ tensor, place }) => {
    const sizes = tensor.axes.map((a) => minimalSize(model, a) ?? 1);
    const bytes = sizes.reduce((a, b) => a * Math.max(1, b), 4);
    return bytes > maxBytes
      ? [error('tensor-too-large', `tensor "${tensor.id}" is declared with at least [${sizes.join(', ')}] elements (${(bytes / 2 ** 30).toFixed(1)} GiB as float32), more than the ${(maxBytes / 2 ** 30).toFixed(1)} GiB fairio allows for one tile`, place)]
      : [];
  });
}

export function checkPaths(model: ModelSpec): Finding[] {
  return model.files.flatMap((f) => {
    const reason = unsafePathReason(f.source);
    return reason ? [error('unsafe-path', reason, f.field)] : [];
  });
}

/** Files that must be there for fairio to run the model (ONNX weights, test tensors). */
function neededForRunning(model: ModelSpec, f: FileRef): boolean {
  return f.field === 'weights.onnx' || /^(inputs|outputs)\.\d+\.test_tensor$|^test_(inputs|outputs)\.\d+$/.test(f.field);
}

/** sha256 of every local file that is there; missing files are warnings (errors at run time when needed). */
export async function checkFiles(model: ModelSpec, files: PackageFiles): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const f of model.files) {
    if (unsafePathReason(f.source)) continue;
    if (isRemote(f.source)) {
      findings.push(info('remote-file-not-checked', `${f.field}: ${f.source} is remote and was not downloaded${neededForRunning(model, f) ? ' (it is downloaded when the model runs)' : ''}`, f.field));
      continue;
    }
    const actual = await files.sha256(f.source);
    if (actual === undefined) {
      findings.push(warning('file-missing', `${f.field}: "${f.source}" is not in the package${neededForRunning(model, f) ? '; fairio needs it to run the model' : ''}`, f.field));
    } else if (f.sha256 && f.sha256.toLowerCase() !== actual) {
      findings.push(error('sha256-mismatch', `${f.field}: "${f.source}" has sha256 ${actual}, but the description says ${f.sha256}; the file was changed or replaced`, f.field));
    }
  }
  return findings;
}

function validSize(axis: AxisSpec, n: number): boolean {
  const s = axis.size;
  if (s.kind === 'fixed') return s.size === n;
  if (s.kind === 'parameterized') return n >= s.min && (n - s.min) % s.step === 0;
  return true;
}

/** The ONNX graph's inputs and outputs against the description: count, rank and static sizes. */
export function checkOnnxSignature(model: ModelSpec, signature: OnnxSignature): Finding[] {
  const findings: Finding[] = [];
  const compare = (kind: 'inputs' | 'outputs', tensors: TensorSpec[], values: OnnxSignature['inputs']) => {
    if (values.length !== tensors.length) {
      findings.push(error('onnx-io-count', `the ONNX graph has ${values.length} ${kind} but the description declares ${tensors.length}; tensors are matched to the graph by position`, kind));
      return;
    }
    tensors.forEach((tensor, i) => {
      const value = values[i];
      const place = `${kind}.${i}`;
      if (value.dims.length && value.dims.length !== tensor.axes.length) {
        findings.push(error('onnx-rank-mismatch', `"${tensor.id}" has ${tensor.axes.length} axes but ONNX ${kind.slice(0, -1)} ${i} ("${value.name}") has ${value.dims.length} dimensions`, place));
        return;
      }
      value.dims.forEach((d, k) => {
        const axis = tensor.axes[k];
        if (typeof d !== 'number' || d <= 0 || !axis) return;
        if (!validSize(axis, d)) {
          findings.push(error('onnx-shape-mismatch', `axis "${axis.id}" of "${tensor.id}" is declared ${describeSize(axis)}, but the ONNX graph fixes it to ${d}`, `${place}.axes.${k}`));
        } else if (axis.size.kind === 'parameterized') {
          findings.push(warning('onnx-fixes-size', `axis "${axis.id}" of "${tensor.id}" is declared as min ${axis.size.min} step ${axis.size.step}, but the ONNX graph only accepts ${d}`, `${place}.axes.${k}`));
        }
      });
      if (kind === 'inputs' && tensor.dtype !== value.elementType && value.elementType !== 'float16') {
        findings.push(info('onnx-input-type', `"${tensor.id}" is declared ${tensor.dtype}; the ONNX graph takes ${value.elementType}, and fairio casts to it`, place));
      }
    });
  };
  compare('inputs', model.inputs, signature.inputs);
  compare('outputs', model.outputs, signature.outputs);
  return findings;
}

export function describeSize(axis: AxisSpec): string {
  const s = axis.size;
  if (s.kind === 'fixed') return `of size ${s.size}`;
  if (s.kind === 'parameterized') return `of size ${s.min} + n·${s.step}`;
  if (s.kind === 'reference') return `sized after ${s.tensorId}.${s.axisId}`;
  return 'of any size';
}

export async function checkOnnx(model: ModelSpec, files: PackageFiles): Promise<Finding[]> {
  if (!model.onnx) {
    return [warning('no-onnx-weights', `the model has no ONNX weights (it has ${model.weightsFormats.join(', ') || 'none'}); fairio runs ONNX weights only`, 'weights')];
  }
  if (unsafePathReason(model.onnx.source) || isRemote(model.onnx.source)) return [];
  if ((await files.sha256(model.onnx.source)) === undefined) return [];
  let signature: OnnxSignature;
  try {
    signature = readOnnxSignature(await files.read(model.onnx.source));
  } catch (e) {
    return [error('onnx-unreadable', `weights.onnx: "${model.onnx.source}" is not a readable ONNX model (${(e as Error).message})`, 'weights.onnx')];
  }
  return checkOnnxSignature(model, signature);
}

const KNOWN_PROCESSING = new Set(['binarize', 'clip', 'ensure_dtype', 'fixed_zero_mean_unit_variance', 'scale_linear', 'scale_mean_variance', 'scale_range', 'sigmoid', 'softmax', 'zero_mean_unit_variance']);

export function checkProcessing(model: ModelSpec): Finding[] {
  return tensorsWithPlace(model).flatMap(({ tensor, place, kind }) =>
    tensor.processing.flatMap((p) =>
      KNOWN_PROCESSING.has(p.id) ? [] : [warning('processing-not-supported', `${kind === 'inputs' ? 'pre' : 'post'}processing "${p.id}" of "${tensor.id}" is not one fairio implements; the model cannot run here`, place)],
    ),
  );
}

/** Every check that needs no file. */
export function checkDescription(model: ModelSpec, options: { maxTensorBytes?: number } = {}): Finding[] {
  return [...checkUniqueTensorIds(model), ...checkUniqueAxisIds(model), ...checkSizeReferences(model), ...checkHalos(model), ...checkPaths(model), ...checkDeclaredSizes(model, options.maxTensorBytes), ...checkProcessing(model)];
}
