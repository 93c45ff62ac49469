/**
 * Finding and parsing a package's description (rdf.yaml / bioimageio.yaml),
 * the same for a folder on disk, a zip and files a web page lists.
 * Runtime-agnostic: no Node imports.
 */
import YAML from 'yaml';
import { FairioError, NotFoundError } from '@fairio/ngff/browser';

/** Description files, in the order a folder is searched for them. */
export const DESCRIPTION_NAMES = ['rdf.yaml', 'bioimageio.yaml'];
const MAX_DESCRIPTION_BYTES = 2 ** 20;

export function parseDescription(bytes: Uint8Array, where: string): Record<string, unknown> {
  if (bytes.length > MAX_DESCRIPTION_BYTES) throw new FairioError('INVALID_METADATA', `the description is ${bytes.length} bytes; descriptions over 1 MiB are refused`, { path: where });
  let doc: unknown;
  try {
    doc = YAML.parse(new TextDecoder().decode(bytes), { maxAliasCount: 100, prettyErrors: true });
  } catch (e) {
    throw new FairioError('INVALID_METADATA', `is not valid YAML: ${(e as Error).message.split('\n')[0]}`, { path: where, cause: e });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new FairioError('INVALID_METADATA', 'the description must be a YAML mapping of fields', { path: where });
  return doc as Record<string, unknown>;
}

/** The description among a folder's file names: rdf.yaml, bioimageio.yaml, else the one `*.bioimageio.yaml`. */
export function pickDescription(names: string[], folder: string): string {
  for (const name of DESCRIPTION_NAMES) if (names.includes(name)) return name;
  const candidates = names.filter((f) => f.endsWith('.bioimageio.yaml'));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) throw new FairioError('INVALID_ARGUMENT', `holds several descriptions (${candidates.join(', ')}); name the one to use`, { path: folder });
  throw new NotFoundError(`has no model description (${DESCRIPTION_NAMES.join(' or ')})`, { path: folder });
}
