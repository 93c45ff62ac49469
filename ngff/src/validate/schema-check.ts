/**
 * Check one attributes document against the upstream schema of each kind it
 * describes, and phrase Ajv's errors as findings.
 */
import type { NgffVersion } from '../metadata/types.js';
import { error, type Finding } from './report.js';
import { schemaValidator, type ErrorObject, type SchemaKind } from './schemas.js';

/** Ajv lists every failed branch of a oneOf/anyOf; a few lines say enough. */
const MAX_ERRORS_PER_SCHEMA = 8;

function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required "${String(params.missingProperty)}"`;
    case 'enum':
      return `${e.message ?? 'must be one of the allowed values'}: ${JSON.stringify(params.allowedValues)}`;
    case 'uniqueItems':
      return `items ${String(params.j)} and ${String(params.i)} are identical; entries must be unique`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Ajv errors whose message adds nothing once their branches are reported. */
const SUMMARY_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'if', '$ref']);

export function schemaFindings(
  doc: unknown,
  version: NgffVersion,
  kind: SchemaKind,
  strict: boolean,
  nodePath = '',
): Finding[] {
  const schema = schemaValidator(version, kind, strict);
  if (!schema) {
    return [error('kind-unsupported', `OME-NGFF ${version} has no "${kind}" metadata`, nodePath || undefined)];
  }
  if (schema.validate(doc)) return [];
  const errors = schema.validate.errors ?? [];
  const detailed = errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword));
  const chosen = detailed.length > 0 ? detailed : errors;
  const schemaName = schema.id.split('/').pop();
  const unique = new Map<string, Finding>();
  for (const e of chosen) {
    const text = describe(e);
    const key = `${e.instancePath}\0${text}`;
    if (!unique.has(key)) unique.set(key, error('schema', `${schemaName}: ${text}`, `${nodePath}#${e.instancePath || '/'}`));
  }
  const findings = [...unique.values()];
  if (findings.length <= MAX_ERRORS_PER_SCHEMA) return findings;
  const shown = findings.slice(0, MAX_ERRORS_PER_SCHEMA);
  shown.push(error('schema', `${schemaName}: ${findings.length - MAX_ERRORS_PER_SCHEMA} more schema error(s) not shown`, `${nodePath}#/`));
  return shown;
}
