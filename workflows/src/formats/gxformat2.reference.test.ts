/**
 * gxformat2, Galaxy's own workflow-format package, decides: its linter
 * (best practices included) finds nothing in any example, in either format
 * fairio writes, and its conversions agree with fairio's — the `.ga` it
 * makes of an example's gxformat2 reads as the same workflow as fairio's
 * `.ga`, and the gxformat2 it makes of fairio's `.ga` reads as the same
 * workflow as the source.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson, venvPython } from '../../../tests/helpers/reference.js';
import { EXAMPLES, exampleDir, exampleWorkflow } from '../examples.js';
import type { Workflow } from '../model.js';
import { parseGxformat2, parseNative, readWorkflow } from './index.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'gxformat2_reference.py');

function gxformat2Available(): boolean {
  if (!hasPython) return false;
  try {
    execFileSync(venvPython, ['-c', 'import gxformat2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What both formats can say, without what the converters add or drop on their own (positions, uuids, anonymous ids). */
function essence(workflow: Workflow): unknown {
  return {
    name: workflow.name,
    doc: workflow.doc,
    release: workflow.release,
    license: workflow.license,
    creators: workflow.creators,
    steps: workflow.steps.map((s) => (s.kind === 'input' ? { ...s, position: undefined, uuid: undefined, optional: s.optional ?? false } : { ...s, position: undefined, uuid: undefined })),
    outputs: workflow.outputs.map((o) => ({ label: o.label, source: o.source })),
  };
}

interface Reference {
  lint: { code: number; output: string };
  converted: string;
}

describe.skipIf(missing('gxformat2 (.venv)', gxformat2Available()))('gxformat2 as the reference', () => {
  it('lints every example clean in both formats, and converts them as fairio does', async () => {
    const files = EXAMPLES.flatMap((name) => [exampleWorkflow(name), path.join(exampleDir(name), `${name}.ga`)]);
    const reference = await pythonJson<Record<string, Reference>>(`import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")`, [script, ...files]);
    for (const file of files) {
      const { lint, converted } = reference[file];
      expect(lint, `gxwf-lint ${file}`).toEqual({ code: 0, output: '' });
      const ours = readWorkflow(file);
      const theirs = file.endsWith('.ga') ? parseGxformat2(converted, `gxformat2's conversion of ${file}`) : parseNative(converted, `gxformat2's conversion of ${file}`);
      expect(essence(theirs), `gxformat2's conversion of ${path.basename(file)}`).toEqual(essence(ours));
    }
  }, 120_000);
});
