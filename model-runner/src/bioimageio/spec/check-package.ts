/**
 * The checks of a model package that need no JSON Schema and no file system:
 * the description's type, fairio's named checks, every file's sha256 and the
 * ONNX graph, over any `PackageFiles` (a folder, a zip, or files fetched by a
 * web page). `validatePackage` adds the JSON Schema in Node; the browser runs
 * this alone. Runtime-agnostic: no Node imports.
 */
import { FairioError } from '@fairio/ngff/browser';
import { checkDescription, checkFiles, checkOnnx, type PackageFiles } from './checks.js';
import type { Finding } from './findings.js';
import { readModelSpec, type ModelSpec } from './model.js';

export interface PackageCheckOptions {
  /** Check file hashes and the ONNX graph (default true). */
  files?: boolean;
  maxTensorBytes?: number;
}

export async function checkModelDocument(doc: Record<string, unknown>, files: PackageFiles, options: PackageCheckOptions = {}): Promise<{ model: ModelSpec; findings: Finding[] }> {
  const findings: Finding[] = [];
  if (doc.type !== undefined && doc.type !== 'model') findings.push({ severity: 'error', code: 'not-a-model', message: `the description is of type "${String(doc.type)}", not "model"`, field: 'type' });
  const model = readModelSpec(doc);
  findings.push(...checkDescription(model, options));
  // Unsafe paths are never opened, so hostile references are refused without touching the file system.
  if (options.files !== false && !findings.some((f) => f.code === 'unsafe-path')) {
    findings.push(...(await checkFiles(model, files)));
    if (!findings.some((f) => f.code === 'sha256-mismatch' && f.field === 'weights.onnx')) findings.push(...(await checkOnnx(model, files)));
  }
  return { model, findings };
}

export class InvalidModelError extends FairioError {
  readonly findings: Finding[];
  constructor(where: string, findings: Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super('INVALID_METADATA', `is not a valid bioimage.io model: ${errors.map((f) => f.message).join('; ')}`, { path: where });
    this.findings = findings;
  }
}
