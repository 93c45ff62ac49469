/**
 * A typed builder over the `ro-crate` package's graph: fairio code adds
 * entities through named methods (files, folders, software, people,
 * property values, profiles) instead of assembling JSON-LD by hand, and gets
 * back a flattened RO-Crate 1.1 document with single values where the
 * specification prefers them.
 */
import { ROCrate } from 'ro-crate';
import { FairioError } from '@fairio/ngff/browser';
import { crateContext, METADATA_FILE, PROFILES, ROCRATE_SPEC, type JsonLdContext } from './vocabulary.js';

export interface Ref {
  '@id': string;
}

/** A flattened JSON-LD entity as it appears in `@graph`. */
export interface Entity {
  '@id': string;
  '@type': string | string[];
  [property: string]: unknown;
}

export interface CrateJson {
  '@context': JsonLdContext | string;
  '@graph': Entity[];
}

export const ref = (id: string): Ref => ({ '@id': id });

/** Values of a property as an array (absent → []). */
export function asArray<T>(value: T | T[] | undefined | null): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** The `@id`s a property points to. */
export function idsOf(value: unknown): string[] {
  return asArray(value as unknown[])
    .map((v) => (v && typeof v === 'object' ? (v as Ref)['@id'] : undefined))
    .filter((v): v is string => typeof v === 'string');
}

export function typesOf(entity: { '@type'?: unknown } | undefined): string[] {
  return asArray(entity?.['@type'] as string | string[] | undefined);
}

export function hasType(entity: { '@type'?: unknown } | undefined, type: string): boolean {
  return typesOf(entity).includes(type);
}

/** Where the crate's data may be reused; an SPDX id, a URL, or free text. */
export type License = string;

const SPDX_URLS: Record<string, string> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC-BY-NC-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
};

/** A licence as a URL: SPDX ids become their canonical URL; URLs stay; anything else stays text. */
export function licenseUrl(license: License): string {
  if (/^https?:\/\//.test(license)) return license;
  if (SPDX_URLS[license]) return SPDX_URLS[license];
  if (/^[A-Za-z0-9.+-]+$/.test(license)) return `https://spdx.org/licenses/${license}`;
  return license;
}

/** The licence text used when nobody said which licence applies (the root's `license` is REQUIRED). */
export const NO_LICENSE = 'No licence was declared for these data; ask their owner before reuse.';

export interface NewCrateOptions {
  name: string;
  description: string;
  license?: License;
  /** ISO 8601 date; default today. */
  datePublished?: string;
  /** Add the OME 2024 NGFF challenge terms to the context. */
  ngffChallenge?: boolean;
}

export class CrateBuilder {
  /** The `ro-crate` package's graph, for anything the typed methods do not cover. */
  readonly crate: ROCrate;
  private context: JsonLdContext | string;

  constructor(json: CrateJson) {
    this.context = json['@context'];
    try {
      // Flat entities, no link resolution: fairio's entities are always referenced by @id.
      this.crate = new ROCrate(structuredClone(json), { array: false, link: false, replace: true, merge: false });
    } catch (error) {
      throw new FairioError('INVALID_METADATA', `not an RO-Crate: ${(error as Error).message}`, { path: METADATA_FILE, cause: error });
    }
  }

  /** A new crate with an RO-Crate 1.1 descriptor and a root dataset. */
  static create(options: NewCrateOptions): CrateBuilder {
    const builder = new CrateBuilder({
      '@context': crateContext({ ngffChallenge: options.ngffChallenge }),
      '@graph': [
        { '@id': METADATA_FILE, '@type': 'CreativeWork', conformsTo: ref(ROCRATE_SPEC), about: ref('./') },
        {
          '@id': './',
          '@type': 'Dataset',
          name: options.name,
          description: options.description,
          datePublished: options.datePublished ?? new Date().toISOString().slice(0, 10),
        },
      ],
    });
    builder.setLicense(options.license, { asText: options.ngffChallenge });
    return builder;
  }

  get rootId(): string {
    return this.crate.rootId;
  }

  /** A plain copy of an entity, or undefined. */
  get(id: string): Entity | undefined {
    return this.crate.hasEntity(id) ? (JSON.parse(JSON.stringify(this.crate.getEntity(id))) as Entity) : undefined;
  }

  get root(): Entity {
    return this.get(this.rootId)!;
  }

  entities(): Entity[] {
    return this.crate.getGraph(true) as Entity[];
  }

  /** Add an entity, replacing one with the same `@id`. Returns a reference to it. */
  put(entity: Entity): Ref {
    this.crate.addEntity(entity, { replace: true });
    return ref(entity['@id']);
  }

  /** Add an entity; properties it does not set keep their current values (e.g. links other runs made). */
  merge(entity: Entity): Ref {
    const existing = this.get(entity['@id']);
    return this.put(existing ? { ...existing, ...entity } : entity);
  }

  /** Add an entity unless one with the same `@id` exists. */
  putIfAbsent(entity: Entity): Ref {
    if (!this.crate.hasEntity(entity['@id'])) this.crate.addEntity(entity);
    return ref(entity['@id']);
  }

  /** Set properties of an existing entity (replacing their values). */
  set(id: string, properties: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(properties)) {
      if (value === undefined) {
        if (key in (this.crate.getEntity(id) ?? {})) this.crate.deleteProperty(id, key);
      } else this.crate.setProperty(id, key, value as never);
    }
  }

  /** Add values to a property (no duplicates). */
  link(id: string, property: string, ...values: unknown[]): void {
    for (const value of values) this.crate.addValues(id, property, value as never);
  }

  /** Remove one reference from a property. */
  unlink(id: string, property: string, target: string): void {
    const entity = this.get(id);
    if (!entity) return;
    const kept = asArray(entity[property] as unknown[]).filter((v) => !(v && typeof v === 'object' && (v as Ref)['@id'] === target));
    this.set(id, { [property]: kept.length ? kept : undefined });
  }

  remove(id: string): void {
    this.crate.deleteEntity(id, { references: true });
  }

  /**
   * Set the root's licence. A URL becomes a reference to a licence entity
   * (as RO-Crate recommends) unless `asText`: FAIR image crates keep it a
   * plain string, which is what the OME-NGFF validator and the NGFF challenge
   * tools read. Free text always stays text.
   */
  setLicense(license: License | undefined, options: { asText?: boolean } = {}): void {
    const value = licenseUrl(license ?? NO_LICENSE);
    if (options.asText || !/^https?:\/\//.test(value)) {
      this.set(this.rootId, { license: value });
      return;
    }
    const name = Object.entries(SPDX_URLS).find(([, url]) => url === value)?.[0] ?? value.replace(/^https:\/\/spdx\.org\/licenses\//, '');
    this.putIfAbsent({ '@id': value, '@type': 'CreativeWork', name, description: `The licence at ${value}` });
    this.set(this.rootId, { license: ref(value) });
  }

  /** Make sure the OME 2024 NGFF challenge terms are part of the context (for FAIR image metadata). */
  useNgffChallengeTerms(): void {
    const context = Array.isArray(this.context) ? this.context : [this.context];
    if (context.some((c) => typeof c === 'object' && c && 'organism_classification' in c)) return;
    const wanted = crateContext({ ngffChallenge: true });
    this.context = [...wanted, ...context.filter((c) => !wanted.some((w) => JSON.stringify(w) === JSON.stringify(c)))];
  }

  /** Declare conformance to a profile (root `conformsTo`, plus the profile as a CreativeWork). */
  conformsTo(profile: keyof typeof PROFILES): void {
    const p = PROFILES[profile];
    this.putIfAbsent({ '@id': p.id, '@type': 'CreativeWork', name: p.name, version: p.version });
    this.link(this.rootId, 'conformsTo', ref(p.id));
  }

  /** Reference from the root (`hasPart` for data, `mentions` for actions). */
  addToRoot(property: 'hasPart' | 'mentions', id: string): void {
    if (id !== this.rootId) this.link(this.rootId, property, ref(id));
  }

  /** The flattened document: descriptor and root first, singleton arrays as single values. */
  toJSON(): CrateJson {
    const graph = this.crate.getGraph(true) as Entity[];
    const first = [METADATA_FILE, this.rootId];
    graph.sort((a, b) => {
      const ia = first.indexOf(a['@id']);
      const ib = first.indexOf(b['@id']);
      return (ia < 0 ? 2 : ia) - (ib < 0 ? 2 : ib);
    });
    return { '@context': this.context, '@graph': graph.map(singleValues) };
  }
}

/** RO-Crate 1.1 prefers `"p": x` to `"p": [x]`. */
function singleValues(entity: Entity): Entity {
  const out: Entity = { '@id': entity['@id'], '@type': entity['@type'] };
  for (const [key, value] of Object.entries(entity)) {
    if (key === '@reverse') continue;
    out[key] = Array.isArray(value) && value.length === 1 ? value[0] : value;
  }
  return out;
}
