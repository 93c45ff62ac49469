/**
 * Reading crates written by anyone: a folder or a `.zip`, checked before it
 * is trusted. The JSON must be an RO-Crate JSON-LD document (an `@context`,
 * a flat `@graph` of entities with string `@id`s, a metadata descriptor
 * naming a root dataset), and no `@id` may point outside the crate
 * (`../../etc/passwd`, `/etc/passwd`, `file:` URLs): such a crate is refused
 * with a message saying which entity is at fault, before any path is used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import { CrateBuilder, idsOf, type CrateJson, type Entity } from './builder.js';
import { METADATA_FILE } from './vocabulary.js';
import { ZipReader, type ZipLimits } from './zip.js';

/** Metadata files larger than this are refused rather than parsed. */
export const MAX_METADATA_BYTES = 256 << 20;

function fail(message: string, source: string, code: 'INVALID_METADATA' | 'UNSAFE_INPUT' = 'INVALID_METADATA'): never {
  throw new FairioError(code, message, { path: source });
}

/**
 * Why an `@id` (or reference) would leave the crate root, or undefined when
 * it stays inside (or is a web URL, a `#` local identifier, or another URI
 * scheme that names no local file).
 */
export function escapesCrate(id: string): string | undefined {
  if (id.startsWith('#')) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(id)?.[1]?.toLowerCase();
  if (scheme === 'file') return 'is a file: URL, which names a file outside the crate';
  if (scheme && scheme.length > 1) return undefined; // http(s), arcp, urn, obo, NCBI, ... name no local file
  let decoded: string;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    return 'is not a valid URI path';
  }
  const normal = decoded.replace(/\\/g, '/');
  if (normal.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(normal)) return 'starts with a drive letter';
  let depth = 0;
  for (const part of normal.split('/')) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return 'climbs above the crate root';
  }
  return undefined;
}

/** Parse and check RO-Crate metadata text; `source` names it in errors. */
export function parseCrateJson(text: string, source = METADATA_FILE): CrateJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FairioError('INVALID_JSON', `is not valid JSON (${(error as Error).message})`, { path: source, cause: error });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('is not a JSON-LD object', source);
  const doc = json as Record<string, unknown>;
  if (!('@context' in doc)) fail('has no "@context"; an RO-Crate metadata file is JSON-LD with the RO-Crate context', source);
  if (!Array.isArray(doc['@graph'])) fail('has no "@graph" array; RO-Crate metadata is flattened JSON-LD', source);
  const graph = doc['@graph'] as unknown[];
  const ids = new Set<string>();
  graph.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) fail(`"@graph" item ${i + 1} is not an object`, source);
    const id = (item as Record<string, unknown>)['@id'];
    if (typeof id !== 'string' || id === '') fail(`"@graph" item ${i + 1} has no string "@id"`, source);
    if (ids.has(id)) fail(`"@id" ${JSON.stringify(id)} appears twice in "@graph"`, source);
    ids.add(id);
  });
  for (const item of graph as Entity[]) {
    const own = escapesCrate(item['@id']);
    if (own) fail(`entity ${JSON.stringify(item['@id'])} ${own}; refusing a crate that points outside itself`, source, 'UNSAFE_INPUT');
    for (const [property, value] of Object.entries(item)) {
      if (property.startsWith('@')) continue;
      for (const target of idsOf(value)) {
        const why = escapesCrate(target);
        if (why) fail(`entity ${JSON.stringify(item['@id'])} property "${property}" points to ${JSON.stringify(target)}, which ${why}; refusing a crate that points outside itself`, source, 'UNSAFE_INPUT');
      }
    }
  }
  const descriptor = (graph as Entity[]).find((e) => e['@id'] === METADATA_FILE || e['@id'].endsWith(`/${METADATA_FILE}`));
  if (!descriptor) fail(`has no metadata descriptor (an entity with "@id": "${METADATA_FILE}")`, source);
  const about = idsOf(descriptor.about)[0];
  if (!about) fail(`metadata descriptor has no "about" naming the root dataset`, source);
  if (!ids.has(about)) fail(`metadata descriptor is about ${JSON.stringify(about)}, which is not in "@graph"`, source);
  return doc as unknown as CrateJson;
}

/** A crate read from a folder or a zip: its metadata, typed, plus where its files are. */
export class Crate {
  readonly builder: CrateBuilder;
  private readonly byId: Map<string, Entity>;

  constructor(
    readonly json: CrateJson,
    /** The folder or zip it came from. */
    readonly location: string,
    readonly kind: 'folder' | 'zip',
    /** For zips: the names of the entries (to check data entities exist). */
    readonly zipEntries?: string[],
  ) {
    this.builder = new CrateBuilder(json);
    this.byId = new Map(json['@graph'].map((e) => [e['@id'], e]));
  }

  get rootId(): string {
    return idsOf(this.get(METADATA_FILE)?.about)[0];
  }

  get root(): Entity {
    return this.get(this.rootId)!;
  }

  get entities(): Entity[] {
    return this.json['@graph'];
  }

  get(id: string): Entity | undefined {
    return this.byId.get(id);
  }

  /** Entities pointed to by a property of an entity (those present in the graph). */
  follow(entity: Entity | undefined, property: string): Entity[] {
    return idsOf(entity?.[property])
      .map((id) => this.get(id))
      .filter((e): e is Entity => e !== undefined);
  }

  ofType(type: string): Entity[] {
    return this.entities.filter((e) => (Array.isArray(e['@type']) ? e['@type'] : [e['@type']]).includes(type));
  }

  /** Absolute path of a data entity of a folder crate (checked not to leave the crate). */
  resolvePath(id: string): string {
    if (this.kind !== 'folder') throw new FairioError('UNSUPPORTED', 'only folder crates have paths on disk', { path: this.location });
    const why = escapesCrate(id);
    if (why) throw new FairioError('UNSAFE_INPUT', `"${id}" ${why}`, { path: this.location });
    return path.join(this.location, decodeURIComponent(id.replace(/^\.\//, '')));
  }
}

/**
 * Read a crate from a folder (its `ro-crate-metadata.json`) or a `.zip`
 * (without extracting it), checking everything described above.
 */
export async function readCrate(location: string, options: { zipLimits?: ZipLimits } = {}): Promise<Crate> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(location);
  } catch (error) {
    throw new FairioError('NOT_FOUND', 'does not exist', { path: location, cause: error });
  }
  if (stat.isDirectory()) {
    const file = path.join(location, METADATA_FILE);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (error) {
      throw new FairioError('NOT_FOUND', `is not an RO-Crate (no ${METADATA_FILE})`, { path: location, cause: error });
    }
    if (size > MAX_METADATA_BYTES) fail(`is ${size} bytes, more than the ${MAX_METADATA_BYTES} accepted`, file, 'UNSAFE_INPUT');
    return new Crate(parseCrateJson(fs.readFileSync(file, 'utf8'), file), location, 'folder');
  }
  const zip = await ZipReader.open(location, options.zipLimits);
  try {
    const entry = zip.find(METADATA_FILE);
    if (!entry) fail(`has no ${METADATA_FILE} at the top of the archive`, location);
    const text = (await zip.read(entry, MAX_METADATA_BYTES)).toString('utf8');
    return new Crate(parseCrateJson(text, `${location}!/${METADATA_FILE}`), location, 'zip', zip.entries.map((e) => e.name));
  } finally {
    await zip.close();
  }
}

/** Extract a crate zip into `target` (which must not exist), refusing unsafe archives. */
export async function extractCrate(zipFile: string, target: string, options: { zipLimits?: ZipLimits } = {}): Promise<Crate> {
  const zip = await ZipReader.open(zipFile, options.zipLimits);
  try {
    if (!zip.find(METADATA_FILE)) fail(`has no ${METADATA_FILE} at the top of the archive`, zipFile);
    await zip.extract(target);
  } finally {
    await zip.close();
  }
  return readCrate(target);
}
