/**
 * Validate one bare attributes document (a group's `.zattrs`, or the
 * `attributes` of its `zarr.json`): version, schemas, then the semantic checks
 * that need nothing but the document itself.
 */
import * as fs from 'node:fs';
import { NotFoundError } from '../errors.js';
import type { NgffVersion } from '../metadata/types.js';
import { attributeChecks } from './checks/attributes.js';
import { claimedVersion, isObject, kindsOf, namespaceOf } from './detect.js';
import { buildReport, error, info, type Finding, type ValidateOptions, type ValidationReport } from './report.js';
import { schemaFindings } from './schema-check.js';
import { parseJsonWithComments } from './schemas.js';

export interface AttributesOptions extends ValidateOptions {
  /** Validate as this version; when omitted it is read from the document. */
  version?: NgffVersion;
}

/** The findings for one document; `nodePath` prefixes finding paths when the document comes from a store. */
export function attributeFindings(
  doc: unknown,
  options: AttributesOptions & { nodePath?: string } = {},
): { version?: NgffVersion; findings: Finding[] } {
  const nodePath = options.nodePath ?? '';
  const strict = options.strict ?? false;
  const at = (pointer = '/') => `${nodePath}#${pointer}`;
  // Callers may hand over objects JSON.parse never makes (null prototypes, cycles,
  // BigInts); a JSON round trip gives the checks and Ajv plain data or a finding.
  try {
    doc = JSON.parse(JSON.stringify(doc) ?? 'null') as unknown;
  } catch (e) {
    return { findings: [error('not-json', `attributes are not representable as JSON (${(e as Error).message})`, at())] };
  }
  if (!isObject(doc)) {
    return { findings: [error('not-an-object', `attributes must be a JSON object, not ${Array.isArray(doc) ? 'an array' : doc === null ? 'null' : typeof doc}`, at())] };
  }
  const findings: Finding[] = [];
  const claim = claimedVersion(doc);
  let version = options.version;
  if (!version) {
    if (claim.version) {
      version = claim.version;
      if (claim.assumed) findings.push(info('version-assumed', 'no version written; read as OME-NGFF 0.4, the last version with metadata at the top level', at()));
    } else if (claim.text !== undefined) {
      return { findings: [error('version-unsupported', `OME-NGFF version "${claim.text}" is not supported (fairio validates 0.4, 0.5 and 0.6)`, at())] };
    } else {
      return { findings: [error('ngff-metadata-missing', 'no OME-NGFF metadata found (expected "ome" with a version, or 0.4 keys such as "multiscales", "plate", "well")', at())] };
    }
  }

  let ns = namespaceOf(doc, version);
  if (!ns) {
    findings.push(error('ome-namespace-missing', `OME-NGFF ${version} metadata must sit under the "ome" key`, at()));
    ns = doc; // still schema-check what is there, for specific messages
  }
  const kinds = kindsOf(ns);
  if (kinds.length === 0) {
    if (!('labels' in ns)) {
      findings.push(error('ngff-metadata-missing', `no OME-NGFF ${version} metadata found (multiscales, image-label, plate, well, bioformats2raw.layout, series${version === '0.6' ? ', scene' : ''})`, at()));
    }
    return { version, findings };
  }
  for (const kind of kinds) findings.push(...schemaFindings(doc, version, kind, strict, nodePath));
  findings.push(...attributeChecks({ doc, ns, version, kinds, nodePath }));
  return { version, findings };
}

/** Validate a bare attributes document (what the conformance suites' `data` and `tests/attributes` hold). */
export function validateAttributes(doc: unknown, options: AttributesOptions = {}): ValidationReport {
  const { version, findings } = attributeFindings(doc, options);
  return buildReport(findings, version, 'attributes', options.strict);
}

/**
 * Validate an attributes file (JSON; `//` comment lines allowed, as in the
 * upstream examples). Invalid JSON is a finding; a missing file throws NOT_FOUND.
 */
export function validateAttributesFile(file: string, options: AttributesOptions = {}): ValidationReport {
  if (!fs.existsSync(file)) throw new NotFoundError('no such file', { path: file });
  let doc: unknown;
  try {
    doc = parseJsonWithComments(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return buildReport([error('invalid-json', `not valid JSON (${(e as Error).message})`, file)], options.version, file, options.strict);
  }
  const { version, findings } = attributeFindings(doc, options);
  return buildReport(findings, version, file, options.strict);
}
