/**
 * `store.ts` for browsers (bundlers swap it in through the `browser` field of
 * package.json): a page has no file system, so only http(s) URLs open.
 */
import { FairioError } from './errors.js';
import { isUrl, openUrlStore, type NamedStore } from './store-guard.js';

export * from './store-guard.js';

/** Open an http(s) store for reading; local paths are refused in a browser. */
export function openStore(location: string): NamedStore {
  if (isUrl(location)) return openUrlStore(location);
  throw new FairioError('UNSUPPORTED', 'only http(s) URLs can be opened in a browser', { path: location });
}
