/**
 * The RO-Crate 1.1 context fairio bundles in `contexts/` (read from disk, so
 * Node only): its term map for checking that a crate's terms are defined, and
 * its file for offline resolution by readers and the validator harness.
 */
import * as fs from 'node:fs';
import { ROCRATE_CONTEXT_URL } from './vocabulary.js';

let bundled: Record<string, unknown> | undefined;

/** The term map of the bundled RO-Crate 1.1 context (read once from `contexts/`). */
export function bundledContext(): Record<string, unknown> {
  if (!bundled) {
    const file = new URL('../contexts/ro-crate-1.1.jsonld', import.meta.url);
    bundled = (JSON.parse(fs.readFileSync(file, 'utf8')) as { '@context': Record<string, unknown> })['@context'];
  }
  return bundled;
}

/** Contexts fairio can resolve offline, by URL (for readers and for the validator harness in tests). */
export function bundledContextFiles(): Record<string, string> {
  return { [ROCRATE_CONTEXT_URL]: new URL('../contexts/ro-crate-1.1.jsonld', import.meta.url).pathname };
}

/**
 * Whether `term` (a property or type name as written in a crate) has a
 * definition: in the bundled 1.1 context, in an inline context object of the
 * crate, as a `prefix:suffix` with a known prefix, or as an absolute IRI.
 */
export function isDefinedTerm(term: string, context: unknown): boolean {
  if (term.startsWith('@')) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(term)) return true;
  const maps: Record<string, unknown>[] = [];
  for (const c of Array.isArray(context) ? context : [context]) {
    if (c === ROCRATE_CONTEXT_URL) maps.push(bundledContext());
    else if (c && typeof c === 'object') maps.push(c as Record<string, unknown>);
  }
  if (maps.some((m) => term in m || '@vocab' in m)) return true;
  const colon = term.indexOf(':');
  return colon > 0 && maps.some((m) => term.slice(0, colon) in m);
}
