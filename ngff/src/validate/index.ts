/**
 * OME-NGFF validation: the official schemas (read from the shared reference
 * data at run time) plus named semantic checks that report findings with
 * stable codes.
 *
 * ```ts
 * import { validateStore, validateAttributes, formatReport } from '@fairio/ngff/validate';
 * const report = await validateStore('image.ome.zarr', { strict: false });
 * console.log(formatReport(report));            // VALID: image.ome.zarr is valid OME-NGFF 0.5 …
 * validateAttributes(json, { version: '0.4' }); // { valid, version, findings, message }
 * ```
 *
 * Schema folder: `$FAIRIO_NGFF_SCHEMAS`, else `<project root>/../shared/data/ngff`.
 */
export type { Severity, Finding, ValidationReport, ValidateOptions } from './report.js';
export { formatReport, buildReport } from './report.js';
export { validateAttributes, validateAttributesFile, attributeFindings, type AttributesOptions } from './attributes.js';
export { validateStore, type StoreOptions } from './hierarchy.js';
export { schemasRoot, schemaFolder, parseJsonWithComments, type SchemaKind } from './schemas.js';
export { ATTRIBUTE_CHECKS } from './checks/attributes.js';
export { PYRAMID_CHECKS } from './checks/arrays.js';
