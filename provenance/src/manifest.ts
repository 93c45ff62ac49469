/**
 * The payload manifest: one `sha256  path` line per file, sorted by path, in
 * the format `sha256sum` writes (names with a backslash or newline are
 * escaped as it escapes them), so `sha256sum -c manifest-sha256.txt` checks a
 * crate without fairio. The manifest is itself a data entity of its crate
 * with its own `sha256`, so changing it is detected too.
 */
import { FairioError } from '@fairio/ngff';
import { sha256Of } from './hash.js';

export interface ManifestEntry {
  path: string;
  sha256: string;
}

function escapeName(name: string): { escaped: boolean; text: string } {
  if (!/[\\\n\r]/.test(name)) return { escaped: false, text: name };
  return { escaped: true, text: name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r') };
}

function unescapeName(text: string): string {
  return text.replace(/\\(\\|n|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

/** Manifest text for the entries (sorted, de-duplicated by path; the last entry for a path wins). */
export function formatManifest(entries: Iterable<ManifestEntry>): string {
  const byPath = new Map<string, string>();
  for (const e of entries) byPath.set(e.path, e.sha256);
  return [...byPath.keys()]
    .sort()
    .map((p) => {
      const { escaped, text } = escapeName(p);
      return `${escaped ? '\\' : ''}${byPath.get(p)}  ${text}\n`;
    })
    .join('');
}

/** Parse manifest text; throws INVALID_METADATA naming the first bad line. */
export function parseManifest(text: string, source = 'manifest'): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw === '') return;
    const escaped = raw.startsWith('\\');
    const line = escaped ? raw.slice(1) : raw;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new FairioError('INVALID_METADATA', `line ${i + 1} is not "SHA256  PATH"`, { path: source });
    entries.push({ sha256: match[1], path: escaped ? unescapeName(match[2]) : match[2] });
  });
  return entries;
}

/**
 * The digest fairio records as the `sha256` of a folder data entity: the
 * sha256 of the manifest lines of the files under it (paths relative to
 * that folder). Two folders with the same files and contents have the same
 * digest wherever they live.
 */
export function folderDigest(entries: Iterable<ManifestEntry>): string {
  return sha256Of(formatManifest(entries));
}
