/**
 * Access to the independent references that tests compare against: the
 * Python reference tools in the project's .venv (zarr-python, ome-zarr-py,
 * tifffile, ...) and the shared reference data beside the project.
 *
 * Per the project's conventions a test that needs one of them fails in CI
 * (CI=true) when it is missing, and is skipped with a printed reason elsewhere.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedData = path.resolve(projectRoot, '..', 'shared', 'data');
export const venvPython = path.join(projectRoot, '.venv', 'bin', 'python');

/** Absolute path of a file in ../shared/data. */
export function shared(...parts: string[]): string {
  return path.join(sharedData, ...parts);
}

/**
 * Returns a reason to skip when `what` is unavailable outside CI; throws in CI.
 * Use as `describe.skipIf(missing(...))` or `if (missing(...)) return`.
 */
export function missing(what: string, available: boolean): boolean {
  if (available) return false;
  if (process.env.CI === 'true') throw new Error(`${what} is missing in CI; run scripts/setup.sh`);
  console.warn(`skipping: ${what} is missing (run scripts/setup.sh)`);
  return true;
}

export const hasSharedData = fs.existsSync(sharedData);
export const hasPython = fs.existsSync(venvPython);

/** Run a Python snippet in the project venv; returns stdout. */
export async function python(code: string, args: string[] = [], options: { timeoutMs?: number } = {}): Promise<string> {
  const { stdout } = await run(venvPython, ['-c', code, ...args], {
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs ?? 300_000,
    encoding: 'utf8',
  });
  return stdout;
}

/** Run a Python snippet whose last line of stdout is JSON. */
export async function pythonJson<T = unknown>(code: string, args: string[] = []): Promise<T> {
  const out = (await python(code, args)).trim().split('\n');
  return JSON.parse(out[out.length - 1]) as T;
}
