/**
 * The system Python (/usr/bin/python3) with Debian's python3-vigra,
 * python3-sklearn and python3-h5py: the references for the pixel classifier
 * (vigra is not on PyPI, so it cannot live in the project's .venv).
 * `scripts/setup.sh` installs them when it runs as root.
 *
 * Same rule as reference.ts: a test that needs them fails in CI (CI=true)
 * when they are missing and is skipped with a printed reason elsewhere:
 * `describe.skipIf(missing('vigra and scikit-learn (system Python)', hasVigra))`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const systemPythonPath = process.env.FAIRIO_SYSTEM_PYTHON ?? '/usr/bin/python3';

function imports(modules: string): boolean {
  try {
    execFileSync(systemPythonPath, ['-c', `import ${modules}`], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** vigra and scikit-learn import in the system Python. */
export const hasVigra = imports('vigra, sklearn');

/** Run a Python snippet with the system Python; returns stdout. */
export async function systemPython(code: string, args: string[] = [], options: { timeoutMs?: number } = {}): Promise<string> {
  const { stdout } = await run(systemPythonPath, ['-c', code, ...args], {
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs ?? 600_000,
    encoding: 'utf8',
  });
  return stdout;
}

/** Run a system-Python snippet whose last line of stdout is JSON. */
export async function systemPythonJson<T = unknown>(code: string, args: string[] = [], options: { timeoutMs?: number } = {}): Promise<T> {
  const out = (await systemPython(code, args, options)).trim().split('\n');
  return JSON.parse(out[out.length - 1]) as T;
}
