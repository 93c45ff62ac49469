/**
 * Writing an analysis run next to the image through the Jupyter contents API,
 * atomically: everything goes into `<folder>.partial` (which the recorder
 * does not enter), the crate's metadata last, then one rename gives the
 * folder its name. A failure removes the partial folder.
 */
import type { Contents } from '@jupyterlab/services';

export interface CrateFile {
  /** Path inside the run folder, '/'-separated. */
  path: string;
  bytes?: Uint8Array;
  text?: string;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** `<image>.analysis-YYYYMMDD-HHMMSS` (UTC): the store's name, and the image's group path inside it when there is one. */
export function runFolderName(storeName: string, groupPath: string, when: Date): string {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = [storeName, ...groupPath.split('/')].filter(Boolean).join('_') || 'image';
  return `${name}.analysis-${stamp}`;
}

async function exists(contents: Contents.IManager, path: string): Promise<boolean> {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch {
    return false;
  }
}

/** A path that does not exist yet: `base`, else `base-2`, `base-3`, … */
export async function freePath(contents: Contents.IManager, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await exists(contents, candidate)) && !(await exists(contents, `${candidate}.partial`))) return candidate;
  }
}

/** Write `files` as the folder `target` (metadata file last), then rename it into place. */
export async function saveRunFolder(contents: Contents.IManager, target: string, files: CrateFile[], onProgress?: (done: number, total: number) => void): Promise<void> {
  const partial = `${target}.partial`;
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const ordered = [...files].sort((a, b) => Number(a.path === 'ro-crate-metadata.json') - Number(b.path === 'ro-crate-metadata.json'));
  try {
    await contents.save(partial, { type: 'directory' });
    for (const folder of [...folders].sort((a, b) => a.split('/').length - b.split('/').length)) await contents.save(`${partial}/${folder}`, { type: 'directory' });
    let done = 0;
    for (const f of ordered) {
      const model: Partial<Contents.IModel> =
        f.text !== undefined ? { type: 'file', format: 'text', content: f.text } : { type: 'file', format: 'base64', content: base64(f.bytes ?? new Uint8Array()) };
      await contents.save(`${partial}/${f.path}`, model);
      onProgress?.(++done, ordered.length);
    }
    await contents.rename(partial, target);
  } catch (error) {
    await contents.delete(partial).catch(() => undefined);
    throw error;
  }
}
