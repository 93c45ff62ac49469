/**
 * The browser path: the same processing and tiling code with onnxruntime-web's
 * WebAssembly backend (run here under Node, loading the .wasm from the
 * installed package, no network), against onnxruntime-node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as ortWeb from 'onnxruntime-web';
import { demoModel } from '../__fixtures__/helpers.js';
import { demoTestInput } from '../package/package-model.js';
import { loadModel } from '../spec/validate.js';
import { predictArrays } from '../tiling/predict.js';
import { openOnnxModel } from './node.js';
import { OnnxModel, type OrtApi } from './session.js';

describe('onnxruntime-web (wasm) runs the same pre/post-processing and tiling code', () => {
  it('predicts the demo model tile by tile as onnxruntime-node does', async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
    expect(fs.readdirSync(dist).some((f) => f.endsWith('.wasm'))).toBe(true);
    ortWeb.env.wasm.numThreads = 1;
    ortWeb.env.wasm.wasmPaths = `${dist}/`;
    const { model, package: pkg } = await loadModel(await demoModel());
    const bytes = new Uint8Array(fs.readFileSync(await pkg.localPath(model.onnx!.source)));
    const web = await OnnxModel.create(ortWeb as unknown as OrtApi, bytes, { executionProviders: ['wasm'] });
    const node = await openOnnxModel(bytes);
    try {
      const input = demoTestInput();
      const [fromWeb] = await predictArrays(model, web, [input], { tile: 96 });
      const [fromNode] = await predictArrays(model, node, [input], { tile: 96 });
      let max = 0;
      for (let i = 0; i < fromNode.data.length; i++) max = Math.max(max, Math.abs(Number(fromWeb.data[i]) - Number(fromNode.data[i])));
      console.info(`onnxruntime-web ${ortWeb.env.versions.web} vs onnxruntime-node: max |diff| ${max.toExponential(2)}`);
      expect(max).toBeLessThan(1e-5);
    } finally {
      await web.release();
      await node.release();
    }
  });
});

describe('the browser-shared modules import nothing from Node', () => {
  it('processing/, tiling/, npy, reproduce, spec/model, onnx/session and onnx/proto', () => {
    const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
    const files = [
      ...['processing', 'tiling'].flatMap((d) => fs.readdirSync(path.join(root, d)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => path.join(d, f))),
      'npy.ts', 'reproduce.ts', 'spec/model.ts', 'onnx/session.ts', 'onnx/proto.ts',
    ];
    for (const file of files) {
      const imports = [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/^import .* from '([^']+)';/gm)].map((m) => m[1]);
      expect(imports.filter((i) => i.startsWith('node:') || ['fs', 'path', 'onnxruntime-node'].includes(i)), file).toEqual([]);
    }
  });
});
