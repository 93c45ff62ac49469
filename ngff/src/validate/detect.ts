/**
 * What a raw attributes document is: which OME-NGFF version it claims and
 * which kinds of group it describes. Works on anything (validation must
 * report on broken metadata), so every access is defensive.
 */
import type { NgffVersion } from '../metadata/types.js';
import type { SchemaKind } from './schemas.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kinds of group, keyed by the attribute that announces them. */
const KIND_KEYS: [string, SchemaKind][] = [
  ['multiscales', 'image'],
  ['image-label', 'label'],
  ['plate', 'plate'],
  ['well', 'well'],
  ['bioformats2raw.layout', 'bf2raw'],
  ['series', 'ome'],
  ['scene', 'scene'],
];

/** Map a version string as written in metadata to the versions fairio validates. */
export function normalizeVersion(text: unknown): NgffVersion | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '0.4') return '0.4';
  if (text === '0.5') return '0.5';
  if (/^0\.6(\b|rc|-|$)/.test(text)) return '0.6';
  return undefined;
}

export interface VersionClaim {
  /** The supported version, when the document names one or implies 0.4. */
  version?: NgffVersion;
  /** What the document literally says, when it says something. */
  text?: string;
  /** True when no version is written and 0.4 was inferred from the layout. */
  assumed?: boolean;
}

/** The attributes that carry the NGFF keys: `ome` from 0.5 on, the top level before. */
export function namespaceOf(doc: JsonObject, version: NgffVersion | undefined): JsonObject | undefined {
  if (version === '0.4') return doc;
  if (isObject(doc.ome)) return doc.ome;
  return version === undefined ? doc : undefined;
}

/** The version a document claims, looking where each version puts it. */
export function claimedVersion(doc: unknown): VersionClaim {
  if (!isObject(doc)) return {};
  if (isObject(doc.ome)) {
    const text = doc.ome.version;
    return typeof text === 'string' ? { version: normalizeVersion(text), text } : {};
  }
  // 0.4 (and earlier) put `version` inside each metadata object.
  const candidates: unknown[] = [];
  if (Array.isArray(doc.multiscales)) {
    for (const m of doc.multiscales) if (isObject(m)) candidates.push(m.version);
  }
  for (const key of ['plate', 'well', 'image-label']) {
    const value = doc[key];
    if (isObject(value)) candidates.push(value.version);
  }
  const written = candidates.find((v): v is string => typeof v === 'string');
  if (written !== undefined) return { version: normalizeVersion(written), text: written };
  if (kindsOf(doc).length > 0 || 'labels' in doc) return { version: '0.4', assumed: true };
  return {};
}

/** The kinds of group a namespace describes (a label image is both `image` and `label`). */
export function kindsOf(ns: JsonObject | undefined): SchemaKind[] {
  if (!ns) return [];
  return KIND_KEYS.filter(([key]) => key in ns).map(([, kind]) => kind);
}
