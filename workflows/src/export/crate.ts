/**
 * A workflow for WorkflowHub: its IWC folder (see iwc.ts) zipped as a
 * Workflow RO-Crate 1.0 (`.crate.zip`). The `.ga` is the root's `mainEntity`
 * (File + SoftwareSourceCode + ComputationalWorkflow in the Galaxy language,
 * with its inputs, outputs, steps and their fairio tools as provenance
 * describes workflows), the README is `about` the crate, the licence is the
 * workflow's, its creators are the crate's authors, the tests and their
 * data are parts of the crate.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addAgent, addData, addWorkflow, CrateBuilder, DigestCache, describeData, METADATA_FILE, PROFILES, ref, ROCRATE_SPEC, writeFileAtomic, zipFolder } from '@fairio/provenance';
import { agentsOf, workflowDefinition } from '../definition.js';
import { defaultTools } from '../tools.js';
import { writeIwcDirectory, type IwcOptions } from './iwc.js';

export interface CrateExportOptions extends Omit<IwcOptions, 'outdir'> {
  /** The `.crate.zip` to write. */
  output: string;
}

/** Write the Workflow RO-Crate; returns the zip's path and the files it holds. */
export async function exportWorkflowCrate(options: CrateExportOptions): Promise<{ path: string; files: string[] }> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-workflow-crate-'));
  try {
    const iwc = writeIwcDirectory({ ...options, outdir: path.join(stage, 'crate'), overwrite: true });
    const dir = iwc.dir;
    const { workflow, name } = iwc;
    const tools = options.tools ?? defaultTools;
    const builder = CrateBuilder.create({
      name: workflow.name,
      description: workflow.doc ?? `${workflow.name} (Galaxy workflow of fairio tools)`,
      license: workflow.license,
    });
    builder.set(METADATA_FILE, { conformsTo: [ref(ROCRATE_SPEC), ref(PROFILES['workflow-ro-crate'].id)] });
    builder.putIfAbsent({ '@id': PROFILES['workflow-ro-crate'].id, '@type': 'CreativeWork', name: 'Workflow RO-Crate', version: '1.0' });
    builder.link(builder.rootId, 'conformsTo', ref(PROFILES['workflow-ro-crate'].id));
    if (workflow.release) builder.set(builder.rootId, { version: workflow.release });
    const cache = new DigestCache();
    const main = await describeData(dir, path.join(dir, `${name}.ga`), { cache, name: `${name}.ga` });
    addData(builder, main);
    const definition = workflowDefinition(workflow, tools, { file: `${name}.ga` });
    const wid = addWorkflow(builder, definition);
    builder.set(builder.rootId, { mainEntity: ref(wid) });
    if (workflow.creators.length) {
      const authors = agentsOf(workflow.creators).map((a) => addAgent(builder, a));
      builder.set(builder.rootId, { author: authors });
      // The publisher is an organisation among the creators, when there is one.
      const publisher = workflow.creators.findIndex((c) => c.class === 'Organization');
      if (publisher >= 0) builder.set(builder.rootId, { publisher: authors[publisher] });
    }
    const describe = async (relative: string, extra: Record<string, unknown> = {}) => {
      const data = await describeData(dir, path.join(dir, relative), { cache });
      addData(builder, { ...data, entity: { ...data.entity, ...extra } });
    };
    await describe('README.md', { about: ref('./'), encodingFormat: 'text/markdown' });
    await describe('CHANGELOG.md', { encodingFormat: 'text/markdown', description: 'Changes per release' });
    await describe('.dockstore.yml', { description: 'Dockstore / WorkflowHub registration: the workflow, its tests and authors' });
    if (fs.existsSync(path.join(dir, `${name}-tests.yml`))) {
      await describe(`${name}-tests.yml`, { description: 'planemo workflow tests (planemo test, or fairio workflow test locally)', about: ref(wid) });
      if (fs.existsSync(path.join(dir, 'test-data'))) await describe('test-data', { description: 'Test data of the planemo workflow tests' });
    }
    writeFileAtomic(path.join(dir, METADATA_FILE), `${JSON.stringify(builder.toJSON(), null, 2)}\n`);
    await zipFolder(dir, options.output, { overwrite: options.overwrite });
    return { path: options.output, files: [METADATA_FILE, ...iwc.files] };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
