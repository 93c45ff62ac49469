/**
 * Workflow RO-Crate 1.0 for WorkflowHub: a `.crate.zip` holding the workflow
 * file (the root's `mainEntity`, a File + SoftwareSourceCode +
 * ComputationalWorkflow in its `programmingLanguage`, Galaxy by default), a
 * README, the licence, and a `test/` folder with the workflow's tests and
 * test data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import { CrateBuilder, ref, type License } from './builder.js';
import { addAgent } from './agents.js';
import { describeData, DigestCache } from './data-entities.js';
import { addData } from './data-entity.js';
import { writeFileAtomic } from './lock.js';
import { METADATA_FILE, PROFILES, ROCRATE_SPEC } from './vocabulary.js';
import { addWorkflow, GALAXY, type WorkflowDefinition } from './workflow.js';
import { zipFolder } from './zip.js';

export interface WorkflowCrateOptions {
  /** The workflow file on disk (`.ga`, `.gxwf.yml`, …). */
  workflowFile: string;
  /** What the workflow is (its `file` is set from `workflowFile`). */
  workflow: Omit<WorkflowDefinition, 'file'>;
  /** Required by Workflow RO-Crate. */
  license: License;
  /** README text (Markdown); a summary of the workflow by default. */
  readme?: string;
  /** Files or folders copied under `test/` (planemo tests and their data). */
  tests?: string[];
  /** The `.crate.zip` to write. */
  output: string;
  overwrite?: boolean;
}

function defaultReadme(workflow: Omit<WorkflowDefinition, 'file'>, file: string): string {
  const params = (list: { id: string; name?: string; type: string; description?: string }[]) =>
    list.map((p) => `- \`${p.name ?? p.id}\` (${p.type})${p.description ? `: ${p.description}` : ''}`).join('\n') || '- (none)';
  return `# ${workflow.name}\n\n${workflow.description ?? ''}\n\nWorkflow file: \`${file}\` (${(workflow.language ?? GALAXY).name}).\n\n## Inputs\n\n${params(workflow.inputs)}\n\n## Outputs\n\n${params(workflow.outputs)}\n\n## Steps\n\n${[...workflow.steps]
    .sort((a, b) => a.position - b.position)
    .map((s) => `${s.position + 1}. ${s.name ?? s.id}: ${s.tool.name} ${s.tool.version}`)
    .join('\n')}\n\nPackaged as a Workflow RO-Crate by fairio.\n`;
}

/** Write a Workflow RO-Crate 1.0 `.crate.zip`; returns its path. */
export async function exportWorkflowCrate(options: WorkflowCrateOptions): Promise<string> {
  if (!fs.existsSync(options.workflowFile)) throw new FairioError('NOT_FOUND', 'workflow file does not exist', { path: options.workflowFile });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-workflow-crate-'));
  try {
    const file = path.basename(options.workflowFile);
    fs.copyFileSync(options.workflowFile, path.join(stage, file));
    fs.writeFileSync(path.join(stage, 'README.md'), options.readme ?? defaultReadme(options.workflow, file));
    if (options.tests?.length) {
      fs.mkdirSync(path.join(stage, 'test'));
      for (const t of options.tests) fs.cpSync(t, path.join(stage, 'test', path.basename(t)), { recursive: true });
    }
    const workflow: WorkflowDefinition = { ...options.workflow, file, language: options.workflow.language ?? GALAXY, license: options.workflow.license ?? options.license };
    const builder = CrateBuilder.create({ name: workflow.name, description: workflow.description ?? `${workflow.name} (${workflow.language!.name} workflow)`, license: options.license });
    builder.set(METADATA_FILE, { conformsTo: [ref(ROCRATE_SPEC), ref(PROFILES['workflow-ro-crate'].id)] });
    builder.putIfAbsent({ '@id': PROFILES['workflow-ro-crate'].id, '@type': 'CreativeWork', name: 'Workflow RO-Crate', version: '1.0' });
    builder.link(builder.rootId, 'conformsTo', ref(PROFILES['workflow-ro-crate'].id));
    const cache = new DigestCache();
    const main = await describeData(stage, path.join(stage, file), { cache });
    addData(builder, main);
    const wid = addWorkflow(builder, workflow);
    builder.set(builder.rootId, { mainEntity: ref(wid) });
    if (workflow.creators?.length) builder.set(builder.rootId, { author: workflow.creators.map((c) => addAgent(builder, c)) });
    const readme = await describeData(stage, path.join(stage, 'README.md'), { cache });
    addData(builder, { ...readme, entity: { ...readme.entity, about: ref('./'), encodingFormat: 'text/markdown' } });
    if (options.tests?.length) {
      const test = await describeData(stage, path.join(stage, 'test'), { cache, name: 'test', description: 'Workflow tests and test data' });
      addData(builder, test);
      for (const entry of fs.readdirSync(path.join(stage, 'test'))) {
        const part = await describeData(stage, path.join(stage, 'test', entry), { cache });
        builder.put(part.entity);
        builder.link(test.entity['@id'], 'hasPart', part.ref);
      }
    }
    writeFileAtomic(path.join(stage, METADATA_FILE), `${JSON.stringify(builder.toJSON(), null, 2)}\n`);
    await zipFolder(stage, options.output, { overwrite: options.overwrite });
    return options.output;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
