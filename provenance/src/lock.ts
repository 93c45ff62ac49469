/**
 * One writer at a time per crate: runs that share an output folder take an
 * exclusive lock file (created with `O_EXCL`, so exactly one process wins),
 * read the current metadata, merge their own records in, write a temporary
 * file and rename it into place, then drop the lock. A lock left behind by a
 * process that died is recognised (its process is gone on this host, or it
 * is older than `staleMs`) and broken, so a crash never wedges a folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FairioError } from '@fairio/ngff';
import { LOCK_FILE } from './vocabulary.js';

export interface LockOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock older than this is stale even when its owner cannot be checked (default 120 s). */
  staleMs?: number;
  /** Lock file name inside the folder (default `ro-crate-metadata.json.lock`). */
  name?: string;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(file: string, staleMs: number): boolean {
  let mtime: number;
  try {
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return false; // gone already: just retry
  }
  const owner = readOwner(file);
  if (owner && owner.host === os.hostname() && owner.pid !== process.pid) return !isAlive(owner.pid);
  // Unreadable (being written this instant, or garbage) or another host: only age tells.
  return Date.now() - mtime > staleMs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `fn` while holding the crate lock of `dir`. */
export async function withCrateLock<T>(dir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const file = path.join(dir, options.name ?? LOCK_FILE);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 120_000;
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = fs.openSync(file, 'wx');
      try {
        fs.writeSync(handle, JSON.stringify(owner));
      } finally {
        fs.closeSync(handle);
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new FairioError('NOT_FOUND', 'crate folder does not exist', { path: dir, cause: error });
      if (code !== 'EEXIST') throw new FairioError('IO_ERROR', `cannot create lock file (${code})`, { path: file, cause: error });
    }
    if (isStale(file, staleMs)) {
      // Rename first: of several processes breaking the same stale lock, exactly one succeeds.
      const aside = `${file}.stale-${owner.token}`;
      try {
        fs.renameSync(file, aside);
        fs.rmSync(aside, { force: true });
      } catch {
        // someone else broke it first
      }
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const holder = readOwner(file);
      throw new FairioError('IO_ERROR', `crate is locked${holder ? ` by process ${holder.pid} on ${holder.host} since ${holder.since}` : ''}; remove ${path.basename(file)} if no fairio process is running`, { path: dir });
    }
    await sleep(Math.min(200, 10 + attempt * 5) * (0.5 + Math.random()));
  }
  try {
    return await fn();
  } finally {
    if (readOwner(file)?.token === owner.token) fs.rmSync(file, { force: true });
  }
}

/** Write `text` to `file` through a temporary sibling and a rename, so readers never see half a file. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = fs.openSync(temp, 'w');
    try {
      fs.writeSync(handle, typeof text === 'string' ? Buffer.from(text) : text);
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new FairioError('IO_ERROR', `cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { path: file, cause: error });
  }
}
