/**
 * `encodingFormat` of a data entity: a MIME type for files (from the first
 * bytes where the format has a signature, else from the name), the OME-NGFF
 * specification URL for OME-Zarr folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NGFF_FORMAT } from './vocabulary.js';

const BY_EXTENSION: Record<string, string> = {
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.btf': 'image/tiff',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.onnx': 'application/octet-stream',
  '.npy': 'application/octet-stream',
  '.ijm': 'text/plain',
  '.py': 'text/x-python',
  '.ga': 'application/json',
  '.gxwf.yml': 'application/yaml',
};

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

/** MIME type of a file from its first bytes, falling back to its name. */
export function fileEncodingFormat(name: string, head: Uint8Array = new Uint8Array(0)): string {
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]) || startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) {
    return 'image/tiff';
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (startsWith(head, [0x1f, 0x8b])) return 'application/gzip';
  const lower = name.toLowerCase();
  if (lower.endsWith('.gxwf.yml')) return BY_EXTENSION['.gxwf.yml'];
  return BY_EXTENSION[path.extname(lower)] ?? 'application/octet-stream';
}

/** Whether a folder is an OME-Zarr (a Zarr group with OME-NGFF attributes). */
export function isOmeZarr(dir: string): boolean {
  const read = (name: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const v3 = read('zarr.json');
  if (v3) {
    const attributes = v3.attributes as Record<string, unknown> | undefined;
    return Boolean(attributes && ('ome' in attributes || 'multiscales' in attributes));
  }
  const v2 = read('.zattrs');
  return Boolean(v2 && ('multiscales' in v2 || 'plate' in v2 || 'well' in v2 || 'bioformats2raw.layout' in v2));
}

/** `encodingFormat` of a folder: the OME-NGFF URL for OME-Zarr, none otherwise. */
export function folderEncodingFormat(dir: string): string | undefined {
  return isOmeZarr(dir) ? NGFF_FORMAT : undefined;
}
