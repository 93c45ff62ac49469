/**
 * The shape of a semantic check on one attributes document, Galaxy-linter
 * style: one concern per check, a stable name, findings out.
 */
import type { NgffVersion } from '../../metadata/types.js';
import type { JsonObject } from '../detect.js';
import type { Finding } from '../report.js';
import type { SchemaKind } from '../schemas.js';

export interface AttributeContext {
  /** The whole attributes document. */
  doc: JsonObject;
  /** Where the NGFF keys sit: `doc.ome` from 0.5 on, `doc` for 0.4. */
  ns: JsonObject;
  version: NgffVersion;
  kinds: SchemaKind[];
  /** Store node the document belongs to (`''` for a bare document). */
  nodePath: string;
}

export interface AttributeCheck {
  /** Matches the finding codes it can emit, for docs and tests. */
  name: string;
  /** The kind of metadata the check reads. */
  kind: SchemaKind;
  run(ctx: AttributeContext): Finding[];
}

/** `/ome/plate` in 0.5+, `/plate` in 0.4: where a key lives, as a JSON pointer. */
export function pointer(ctx: AttributeContext, ...parts: (string | number)[]): string {
  const base = ctx.ns === ctx.doc ? '' : '/ome';
  const rest = parts.map((p) => `/${p}`).join('');
  return `${ctx.nodePath}#${base + rest || '/'}`;
}
