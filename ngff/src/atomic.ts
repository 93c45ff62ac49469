/**
 * Outputs appear whole or not at all: everything is written into a hidden
 * temporary sibling (`.NAME.partial-XXXX`) and renamed into place only when
 * complete. On failure, or when the process is interrupted, the partial
 * folder is removed, so nothing that looks finished is ever left behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FairioError } from './errors.js';

const pending = new Set<string>();
let hooksInstalled = false;

function installInterruptCleanup(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const cleanup = () => {
    for (const dir of pending) fs.rmSync(dir, { recursive: true, force: true });
    pending.clear();
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export interface AtomicOptions {
  /** Replace an existing output (default: refuse). */
  overwrite?: boolean;
}

/**
 * Run `write(tempPath)` and move the result to `destination` when it resolves.
 * `tempPath` does not exist yet; `write` creates a file or folder there.
 */
export async function writeAtomically<T>(destination: string, write: (tempPath: string) => Promise<T>, options: AtomicOptions = {}): Promise<T> {
  const target = path.resolve(destination);
  if (fs.existsSync(target) && !options.overwrite) {
    throw new FairioError('OUTPUT_EXISTS', 'already exists; choose another output or allow overwriting', { path: destination });
  }
  const parent = path.dirname(target);
  if (!fs.existsSync(parent)) throw new FairioError('NOT_FOUND', `output folder ${parent} does not exist`, { path: destination });
  const temp = path.join(parent, `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  installInterruptCleanup();
  pending.add(temp);
  try {
    const result = await write(temp);
    if (fs.existsSync(target)) {
      // Move the old output aside first so the destination is never half-replaced.
      const old = `${temp}.old`;
      fs.renameSync(target, old);
      fs.renameSync(temp, target);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(temp, target);
    }
    return result;
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
    pending.delete(temp);
  }
}
