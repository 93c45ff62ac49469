/**
 * `crate verify`: re-hash every file a crate vouches for and say what
 * changed. Expected checksums come from the payload manifest (itself checked
 * against the `sha256` the metadata records for it) and from the `sha256` of
 * `File` entities; every file under a folder data entity is hashed, so
 * modified, missing and added files are each named.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import { hasType, idsOf } from './builder.js';
import { idToPath, isCrateBookkeeping } from './data-entity.js';
import { hashFile, listFiles, sha256Of } from './hash.js';
import { parseManifest } from './manifest.js';
import { readCrate } from './reader.js';
import { MANIFEST_FILE } from './vocabulary.js';

export interface VerifyReport {
  crate: string;
  ok: boolean;
  /** Files hashed. */
  checked: number;
  bytes: number;
  /** Files whose content differs from the recorded sha256. */
  modified: string[];
  /** Files the crate records that are gone. */
  missing: string[];
  /** Files inside a data folder that the crate does not record. */
  added: string[];
  /** Problems with the records themselves (e.g. the manifest was edited). */
  problems: string[];
}

function isPartialOrLock(relative: string): boolean {
  return relative.split('/').some((part) => /^\..+\.partial-[0-9a-f]+(\.old)?$/.test(part) || part.endsWith('.lock'));
}

/** Verify the folder crate `dir`. */
export async function verifyCrate(dir: string, options: { onProgress?: (bytes: number) => void } = {}): Promise<VerifyReport> {
  const crate = await readCrate(dir);
  if (crate.kind !== 'folder') throw new FairioError('UNSUPPORTED', 'verify works on a crate folder; unzip the crate first', { path: dir });
  const expected = new Map<string, string>();
  const problems: string[] = [];

  // 1. The manifest, if the crate has one, checked against the metadata's record of it.
  const manifestPath = path.join(dir, MANIFEST_FILE);
  const manifestEntity = crate.get(MANIFEST_FILE);
  if (fs.existsSync(manifestPath)) {
    const text = fs.readFileSync(manifestPath, 'utf8');
    if (manifestEntity?.sha256 && manifestEntity.sha256 !== sha256Of(text)) problems.push(`${MANIFEST_FILE} was changed after the crate was written (its sha256 differs from the one in the metadata)`);
    for (const entry of parseManifest(text, manifestPath)) expected.set(entry.path, entry.sha256);
  } else if (manifestEntity) {
    problems.push(`${MANIFEST_FILE} is recorded in the metadata but missing`);
  }

  // 2. File entities with a sha256; 3. the folders whose every file belongs to the crate.
  const scopes = new Set<string>();
  for (const entity of crate.entities) {
    const id = entity['@id'];
    if (id.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(id) || id === MANIFEST_FILE) continue;
    const relative = id === crate.rootId ? '' : idToPath(id);
    if (hasType(entity, 'File') && typeof entity.sha256 === 'string') {
      const previous = expected.get(relative);
      if (previous && previous !== entity.sha256) problems.push(`${relative}: the metadata and ${MANIFEST_FILE} record different checksums`);
      expected.set(relative, entity.sha256);
    }
    if (hasType(entity, 'Dataset') && (id !== crate.rootId || entity.sha256 !== undefined)) scopes.add(relative);
  }
  // Recorded files are checked even when their folder is not a data entity.
  const onDisk = new Set<string>();
  for (const scope of scopes) {
    const folder = path.join(dir, scope);
    if (!fs.existsSync(folder)) continue;
    for (const f of await listFiles(folder, { exclude: (r) => isPartialOrLock(r) })) {
      const relative = scope ? `${scope}/${f}` : f;
      if (!isCrateBookkeeping(relative)) onDisk.add(relative);
    }
  }
  for (const p of expected.keys()) if (fs.existsSync(path.join(dir, p))) onDisk.add(p);

  const report: VerifyReport = { crate: dir, ok: true, checked: 0, bytes: 0, modified: [], missing: [], added: [], problems };
  const files = [...onDisk].sort();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const relative = files[next++];
      const digest = await hashFile(path.join(dir, relative), relative);
      report.checked++;
      report.bytes += digest.size;
      options.onProgress?.(report.bytes);
      const want = expected.get(relative);
      if (want === undefined) report.added.push(relative);
      else if (want !== digest.sha256) report.modified.push(relative);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  for (const p of expected.keys()) if (!onDisk.has(p)) report.missing.push(p);
  report.modified.sort();
  report.added.sort();
  report.missing.sort();
  // A data entity referenced by an action but absent from disk is also worth naming.
  for (const action of crate.entities.filter((e) => hasType(e, 'CreateAction'))) {
    for (const id of idsOf(action.result)) {
      if (id.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(id) || id === crate.rootId) continue;
      const relative = idToPath(id);
      if (!fs.existsSync(path.join(dir, relative)) && !report.missing.includes(relative)) report.missing.push(relative);
    }
  }
  report.ok = !report.modified.length && !report.missing.length && !report.added.length && !problems.length;
  return report;
}
