/**
 * Exporting a recorded session: the notebook as saved (read back through the
 * contents API, so the copy is the file's exact text), the crate built by
 * `sessionCrate`, written into a folder next to the notebook,
 * `NAME.session-YYYYMMDD-HHMMSS.crate`. The files go into `….crate.partial`
 * first and the folder is renamed when all are written, so a crate folder is
 * never half-written.
 */
import { sessionCrate, type License, type SessionRecord } from '@fairio/provenance/browser';
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';

function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
}

export async function exportSession(contents: Contents.IManager, record: SessionRecord, options: { license?: License; now?: Date } = {}): Promise<string> {
  const now = options.now ?? new Date();
  const notebook = await contents.get(record.notebook.path, { content: true, type: 'file', format: 'text' });
  const crate = sessionCrate(record, { notebook: new TextEncoder().encode(String(notebook.content)), exportTime: now, ...(options.license ? { license: options.license } : {}) });
  const folder = PathExt.join(PathExt.dirname(record.notebook.path), `${PathExt.basename(record.notebook.path, PathExt.extname(record.notebook.path))}.session-${stamp(now)}.crate`);
  const partial = `${folder}.partial`;
  await contents.save(partial, { type: 'directory' });
  const made = new Set<string>();
  const decoder = new TextDecoder();
  for (const file of crate.files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = PathExt.join(partial, ...parts.slice(0, i));
      if (!made.has(dir)) await contents.save(dir, { type: 'directory' });
      made.add(dir);
    }
    // Every file of a session crate is UTF-8 text (the notebook, JSON-LD).
    await contents.save(PathExt.join(partial, file.path), { type: 'file', format: 'text', content: decoder.decode(file.data) });
  }
  await contents.rename(partial, folder);
  return folder;
}
