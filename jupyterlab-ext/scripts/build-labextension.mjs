/* global process, console */
// Builds the prebuilt labextension (jupyterlab_fairio/labextension) with
// @jupyterlab/builder against the JupyterLab in the project's .venv.
//
// This runs what `jupyter labextension build --core-path <core> .` runs (the
// builder's build-labextension script with the core metadata of the .venv's
// JupyterLab, its staging/ folder) without the Python wrapper: JupyterLab
// 4.6's wrapper first asks jlpm for its configuration, and its bundled yarn.js
// fails when the .venv sits inside this ES-module workspace (Node then loads
// yarn.js as an ES module).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
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
const builder = path.join(path.dirname(createRequire(import.meta.url).resolve('@jupyterlab/builder/package.json')), 'lib', 'build-labextension.js');
execFileSync(process.execPath, [builder, '--core-path', staging, ...mode, here], {
  cwd: here,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}` },
});

// ONNX Runtime Web's WebAssembly (its JavaScript glue is bundled into the model worker), served from the labextension's static folder
// (JupyterLab serves it at lab/extensions/jupyterlab-fairio/static/ort/): the
// model worker loads it from there, nothing comes from the internet.
const ortDist = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-web/wasm'));
const ortOut = path.join(here, 'jupyterlab_fairio', 'labextension', 'static', 'ort');
fs.mkdirSync(ortOut, { recursive: true });
for (const file of ['ort-wasm-simd-threaded.wasm']) fs.copyFileSync(path.join(ortDist, file), path.join(ortOut, file));
console.log(`onnxruntime-web: ${ortOut}`);
