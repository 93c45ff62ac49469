/**
 * The driver for semantic checks on one attributes document: every check
 * whose kind the document has, in a fixed order.
 */
import type { Finding } from '../report.js';
import { axesChecks } from './axes.js';
import type { AttributeCheck, AttributeContext } from './context.js';
import { labelChecks } from './labels.js';
import { multiscalesChecks } from './multiscales.js';
import { omeroChecks } from './omero.js';
import { plateChecks } from './plate.js';

export const ATTRIBUTE_CHECKS: readonly AttributeCheck[] = [...multiscalesChecks, ...axesChecks, ...omeroChecks, ...labelChecks, ...plateChecks];

export function attributeChecks(ctx: AttributeContext): Finding[] {
  return ATTRIBUTE_CHECKS.filter((c) => ctx.kinds.includes(c.kind)).flatMap((c) => c.run(ctx));
}
