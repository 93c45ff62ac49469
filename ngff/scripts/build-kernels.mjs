/* global console */
// Assembles ngff/src/kernels/kernels.wat into ngff/src/kernels/kernels-wasm.ts
// (the module's bytes in base64), with WABT's wat2wasm from npm:
//   node ngff/scripts/build-kernels.mjs
// Run it after changing the .wat; kernels.test.ts checks the result against
// the JavaScript loops.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'kernels');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-kernels-')), 'kernels.wasm');
execFileSync('npx', ['--yes', '-p', 'wabt@1.0.39', 'wat2wasm', path.join(dir, 'kernels.wat'), '-o', out], { stdio: 'inherit' });
const base64 = fs.readFileSync(out).toString('base64');
fs.writeFileSync(
  path.join(dir, 'kernels-wasm.ts'),
  `// Generated from kernels.wat by ngff/scripts/build-kernels.mjs (wabt 1.0.39 wat2wasm); do not edit.\nexport const KERNELS_WASM_BASE64 =\n  '${base64}';\n`,
);
console.log(`kernels-wasm.ts: ${base64.length} base64 characters`);
