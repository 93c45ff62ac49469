/**
 * The part of store handling that runs anywhere (Node and browsers): the
 * guard that keeps keys inside the store root (metadata is untrusted input:
 * a dataset path of `../../etc` is refused), http(s) stores, and JSON reads.
 * Opening local folders and zips is Node-only and lives in `store.ts`.
 */
import FetchStore from '@zarrita/storage/fetch';
import type { AbsolutePath, AsyncReadable, Readable, RangeQuery } from '@zarrita/storage';
import { FairioError } from './errors.js';

export type { AbsolutePath, Readable };

/** A readable store that remembers where it points, for messages. */
export interface NamedStore extends AsyncReadable {
  /** The local path or URL the user gave. */
  readonly location: string;
}

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Refuse keys that would escape the store root. */
export function checkKey(key: string, location: string): AbsolutePath {
  const parts = key.split('/');
  if (!key.startsWith('/') || parts.some((p) => p === '..' || p === '.') || key.includes('\\') || key.includes('\0')) {
    throw new FairioError('INVALID_METADATA', `refusing store key "${key}": paths must stay inside the store`, { path: location });
  }
  return key as AbsolutePath;
}

/** A store whose keys are checked and whose failures name the key and the store. */
export class GuardedStore implements NamedStore {
  constructor(readonly location: string, private readonly inner: Readable) {}

  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    return this.wrap(key, () => this.inner.get(checkKey(key, this.location)));
  }

  async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
    if (!this.inner.getRange) throw new FairioError('UNSUPPORTED', 'store cannot read byte ranges', { path: this.location });
    return this.wrap(key, () => this.inner.getRange!(checkKey(key, this.location), range));
  }

  private async wrap<T>(key: string, read: () => T | Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof FairioError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new FairioError('IO_ERROR', `cannot read ${key.slice(1)}: ${message}`, { path: this.location, cause: error });
    }
  }
}

export interface UrlStoreOptions {
  /** Lets a caller add authentication or count requests (the JupyterLab viewer does both). */
  fetch?: (request: Request) => Promise<Response>;
  /** How messages name the store (default: the URL), e.g. the path a user picked. */
  name?: string;
}

/** A guarded store over an http(s) URL. */
export function openUrlStore(url: string, options: UrlStoreOptions = {}): NamedStore {
  return new GuardedStore(options.name ?? url, new FetchStore(url.replace(/\/+$/, ''), { fetch: options.fetch }));
}

/** Read and parse a JSON document from a store, or `undefined` if absent. */
export async function readJson(store: NamedStore, key: string): Promise<Record<string, unknown> | undefined> {
  const bytes = await store.get(checkKey(key, store.location));
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new FairioError('INVALID_JSON', `${key.slice(1)} is not valid JSON (${(error as Error).message})`, { path: store.location, cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FairioError('INVALID_METADATA', `${key.slice(1)} must hold a JSON object`, { path: store.location });
  }
  return value as Record<string, unknown>;
}
