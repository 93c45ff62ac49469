/**
 * Where OME-Zarr bytes come from: a local folder, a `.zip`, or an http(s) URL.
 * Node only (file system); bundlers for the browser take `store.browser.ts`
 * instead (the `browser` field of package.json). What runs anywhere is in
 * `store-guard.ts`.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import FileSystemStore from '@zarrita/storage/fs';
import ZipFileStore from '@zarrita/storage/zip';
import { FairioError, NotFoundError } from './errors.js';
import { GuardedStore, isUrl, openUrlStore, type NamedStore } from './store-guard.js';

export * from './store-guard.js';

/** Open a store for reading. Local paths must exist; URLs are checked on first read. */
export function openStore(location: string): NamedStore {
  if (isUrl(location)) return openUrlStore(location);
  const resolved = path.resolve(location);
  if (!fs.existsSync(resolved)) throw new NotFoundError('no such file or folder', { path: location });
  if (fs.statSync(resolved).isFile()) {
    if (/\.zip$/i.test(resolved)) return new GuardedStore(location, ZipFileStore.fromBlob(new Blob([fs.readFileSync(resolved)])));
    // A TIFF (or any other file) is the common mistake: say what to do instead of failing on zarr.json.
    throw new FairioError('UNSUPPORTED', 'is a file, not an OME-Zarr folder or .zip; convert a TIFF first with `fairio convert IN OUT.ome.zarr`', {
      path: location,
    });
  }
  return new GuardedStore(location, new FileSystemStore(resolved));
}
