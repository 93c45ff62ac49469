/**
 * Validating a model package: the published JSON Schema (when its folder is
 * reachable), then fairio's named checks, then the files (sha256) and the
 * ONNX graph. `loadModel` is what every command runs first: it refuses an
 * invalid or hostile package with all its errors before anything executes.
 */
import { FairioError } from '@fairio/ngff';
import { checkModelDocument, InvalidModelError } from './check-package.js';
import { info, type Finding } from './findings.js';
import { openModelPackage, type ModelPackage, type OpenOptions } from './load.js';
import type { ModelSpec } from './model.js';
import { validateAgainstSchema } from './schema.js';

export interface ModelValidation {
  valid: boolean;
  formatVersion: string;
  name: string;
  findings: Finding[];
  model: ModelSpec;
}

export interface ValidateOptions {
  /** Skip the JSON Schema (when it is not available, e.g. in a browser build). Default: use it. */
  schema?: boolean;
  /** Check file hashes and the ONNX graph (default true). */
  files?: boolean;
  maxTensorBytes?: number;
  /** Where schema findings are cached (default: the bioimage.io cache, see `cacheRoot`). */
  cacheDir?: string;
}

export async function validatePackage(pkg: ModelPackage, options: ValidateOptions = {}): Promise<ModelValidation> {
  const doc = pkg.document;
  const schemaFindings: Finding[] = [];
  if (options.schema !== false) {
    try {
      schemaFindings.push(...validateAgainstSchema(doc, { cacheDir: options.cacheDir }));
    } catch (e) {
      if (!(e instanceof FairioError && e.code === 'NOT_FOUND')) throw e;
      schemaFindings.push(info('schema-unavailable', `the JSON Schema was not checked: ${e.message}`));
    }
  }
  const { model, findings: checked } = await checkModelDocument(doc, pkg, options);
  // The type finding first, then the schema's, then fairio's checks (as before the checks moved).
  const findings = [...checked.filter((f) => f.code === 'not-a-model'), ...schemaFindings, ...checked.filter((f) => f.code !== 'not-a-model')];
  return { valid: !findings.some((f) => f.severity === 'error'), formatVersion: model.formatVersion, name: model.name, findings, model };
}

export { InvalidModelError };

export interface LoadedModel {
  package: ModelPackage;
  model: ModelSpec;
  findings: Finding[];
}

/** Open and validate; throws `InvalidModelError` (with every finding) when the package is invalid. */
export async function loadModel(location: string, options: OpenOptions & ValidateOptions = {}): Promise<LoadedModel> {
  const pkg = await openModelPackage(location, options);
  const result = await validatePackage(pkg, options);
  if (!result.valid) throw new InvalidModelError(pkg.descriptionPath, result.findings);
  return { package: pkg, model: result.model, findings: result.findings };
}
