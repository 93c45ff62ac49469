/**
 * Changing a crate on disk safely: under the crate lock, read what is there
 * (another run may have just written it), apply this run's changes, rewrite
 * the payload manifest and the metadata through temporary files and renames,
 * and refresh the HTML preview. Two runs writing into one folder both end up
 * recorded, in either order, and a reader never sees a half-written file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import { CrateBuilder, ref, type CrateJson, type NewCrateOptions } from './builder.js';
import { sha256Of } from './hash.js';
import { withCrateLock, writeFileAtomic, type LockOptions } from './lock.js';
import { formatManifest, parseManifest, type ManifestEntry } from './manifest.js';
import { renderPreview } from './preview.js';
import { parseCrateJson } from './reader.js';
import { MANIFEST_FILE, METADATA_FILE, PREVIEW_FILE } from './vocabulary.js';

export interface CrateChanges {
  /** Manifest lines to add (replacing lines with the same path). */
  manifest?: ManifestEntry[];
  /** Drop existing manifest lines at or under these crate-relative paths first (outputs that were rewritten). */
  replacePaths?: string[];
}

export interface UpdateCrateOptions {
  /** Name, description and licence of the crate when it does not exist yet. */
  create: NewCrateOptions;
  lock?: LockOptions;
  /** Write `ro-crate-preview.html` (default true). */
  preview?: boolean;
}

/** Read and check `DIR/ro-crate-metadata.json`, or undefined when there is none. */
export function readCrateFile(dir: string): CrateJson | undefined {
  const file = path.join(dir, METADATA_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FairioError('IO_ERROR', 'cannot be read', { path: file, cause: error });
  }
  return parseCrateJson(text, file);
}

function readManifest(dir: string): ManifestEntry[] {
  const file = path.join(dir, MANIFEST_FILE);
  try {
    return parseManifest(fs.readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Apply `edit` to the crate in `dir` (created when absent) under the crate
 * lock, then write manifest, metadata and preview atomically. Returns the
 * crate as written.
 */
export async function updateCrate(dir: string, edit: (builder: CrateBuilder) => CrateChanges | void | Promise<CrateChanges | void>, options: UpdateCrateOptions): Promise<CrateJson> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new FairioError('NOT_FOUND', 'crate folder does not exist', { path: dir });
  return withCrateLock(
    dir,
    async () => {
      const existing = readCrateFile(dir);
      const builder = existing ? new CrateBuilder(existing) : CrateBuilder.create(options.create);
      const changes = (await edit(builder)) ?? {};
      // Manifest: keep other runs' lines, replace this run's.
      const replaced = changes.replacePaths ?? [];
      const kept = readManifest(dir).filter((e) => !replaced.some((p) => p === '' || e.path === p || e.path.startsWith(`${p}/`)));
      const entries = [...kept, ...(changes.manifest ?? [])];
      if (entries.length) {
        const text = formatManifest(entries);
        writeFileAtomic(path.join(dir, MANIFEST_FILE), text);
        builder.put({
          '@id': MANIFEST_FILE,
          '@type': 'File',
          name: 'sha256 checksums of every file of this crate (sha256sum format)',
          encodingFormat: 'text/plain',
          contentSize: String(Buffer.byteLength(text)),
          sha256: sha256Of(text),
        });
        builder.link(builder.rootId, 'hasPart', ref(MANIFEST_FILE));
      }
      const json = builder.toJSON();
      writeFileAtomic(path.join(dir, METADATA_FILE), `${JSON.stringify(json, null, 2)}\n`);
      if (options.preview !== false) writeFileAtomic(path.join(dir, PREVIEW_FILE), await renderPreview(json, dir));
      return json;
    },
    options.lock,
  );
}
