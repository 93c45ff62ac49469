/**
 * Finding the fairio runs a session made, whatever started them (`!fairio`
 * in a cell, a subprocess, the NGFF viewer): every fairio run leaves a
 * `ro-crate-metadata.json` in its output folder, so the recorder looks,
 * through the contents API, for such files under the notebook's folder that
 * changed since the session started, and keeps their text. Exported session
 * crates (`*.crate`), OME-Zarr internals and hidden folders are not entered.
 */
import type { FairioRunCrate } from '@fairio/provenance/browser';
import { sha256Hex } from '@fairio/provenance/browser';
import type { Contents } from '@jupyterlab/services';

const METADATA = 'ro-crate-metadata.json';
/** File times come from the server's clock, the session's start from the browser's: allow for a little skew. */
const SKEW_MS = 5000;
/** At most this many folders are listed per scan, so a huge tree costs a bounded time. */
const MAX_FOLDERS = 200;

function skipFolder(name: string): boolean {
  return name.startsWith('.') || /\.(zarr|crate|partial)$/i.test(name) || name === 'node_modules' || name === '__pycache__';
}

/**
 * Run crates under `folder` (down to `depth` levels) modified since `since`
 * whose text differs from what `known` holds (by path → sha256).
 */
export async function findRunCrates(contents: Contents.IManager, folder: string, since: Date, depth: number, known: Map<string, string>): Promise<FairioRunCrate[]> {
  const found: FairioRunCrate[] = [];
  const queue: { path: string; level: number }[] = [{ path: folder, level: 0 }];
  let listed = 0;
  while (queue.length && listed < MAX_FOLDERS) {
    const { path, level } = queue.shift()!;
    listed++;
    let model: Contents.IModel;
    try {
      model = await contents.get(path, { content: true, type: 'directory' });
    } catch {
      continue;
    }
    for (const item of (model.content ?? []) as Contents.IModel[]) {
      if (item.type === 'directory' && level < depth && !skipFolder(item.name)) queue.push({ path: item.path, level: level + 1 });
      if (item.type !== 'file' || item.name !== METADATA || Date.parse(item.last_modified) < since.getTime() - SKEW_MS) continue;
      try {
        const file = await contents.get(item.path, { content: true, type: 'file', format: 'text' });
        const text = String(file.content);
        // Only RO-Crates (a JSON-LD @graph): anything else by that name is not a run's record.
        if (!Array.isArray((JSON.parse(text) as { '@graph'?: unknown })['@graph'])) continue;
        const sha256 = sha256Hex(text);
        if (known.get(item.path) === sha256) continue;
        found.push({ path: item.path, text, sha256, readAt: new Date().toISOString() });
      } catch {
        // Unreadable or not JSON (a crate is written through a temporary file and a rename, so this is not a half-written one): skipped.
      }
    }
  }
  return found;
}
