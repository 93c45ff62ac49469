/* global process, console */
// Builds the prebuilt labextension (jupyterlab_fairio/labextension) with
// @jupyterlab/builder against the JupyterLab in the project's .venv.
//
// This is `jupyter labextension build` with the core metadata named
// explicitly (--core-path: the .venv JupyterLab's staging package.json):
// without it JupyterLab 4.6's builder tries to locate the core by running
// jlpm in this folder, which fails in an npm workspace whose root is an ES
// module package (its bundled yarn.js is then loaded as ESM).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const venvBin = path.resolve(here, '..', '.venv', 'bin');
const python = path.join(venvBin, 'python');
if (!fs.existsSync(python)) {
  console.error(`build-labextension: ${python} is missing; run scripts/setup.sh (it installs JupyterLab into .venv)`);
  process.exit(1);
}
const staging = execFileSync(python, ['-c', 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))'], { encoding: 'utf8' }).trim();
const mode = process.argv.includes('--development') ? ['--development'] : [];
execFileSync(path.join(venvBin, 'jupyter'), ['labextension', 'build', '--core-path', staging, ...mode, '.'], {
  cwd: here,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}` },
});
