/**
 * A workflow as IWC (the Intergalactic Workflow Commission) keeps one, the
 * layout planemo's `workflow_lint --iwc`, Dockstore and WorkflowHub expect:
 *
 * ```
 * <name>.ga               the workflow, Galaxy's native format, with creator, license and release
 * <name>-tests.yml        planemo workflow tests
 * test-data/…             the files the tests use
 * README.md               what it does, for whom
 * CHANGELOG.md            "## [release] - date" headings, the latest matching the release
 * .dockstore.yml          for Dockstore/WorkflowHub: the workflow, its tests, its authors
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { FairioError } from '@fairio/ngff';
import { readWorkflow, workflowStem, writeNative } from '../formats/index.js';
import type { Creator, Workflow } from '../model.js';
import { readTests, testsFileFor } from '../testing.js';
import { defaultTools, type ToolRegistry } from '../tools.js';

export interface IwcOptions {
  /** The workflow (`.gxwf.yml` or `.ga`); its tests, README and CHANGELOG are looked for beside it. */
  workflowFile: string;
  /** The folder to write (created; must not exist unless `overwrite`). */
  outdir: string;
  tools?: ToolRegistry;
  /** People (with ORCID) or organisations added to the workflow's creators. */
  creators?: Creator[];
  /** Replaces the workflow's release. */
  release?: string;
  /** Replaces the workflow's licence (SPDX id). */
  license?: string;
  /** planemo tests (default: `<name>-tests.yml` beside the workflow). */
  testsFile?: string;
  overwrite?: boolean;
}

export interface IwcDirectory {
  dir: string;
  name: string;
  workflow: Workflow;
  /** The files written, relative to `dir`. */
  files: string[];
}

function readme(workflow: Workflow, name: string): string {
  const inputs = workflow.steps.filter((s) => s.kind === 'input').map((s) => `- **${s.label}**${s.doc ? `: ${s.doc}` : ''}`);
  const outputs = workflow.outputs.map((o) => `- **${o.label}** (step "${o.source.step}", output "${o.source.output}")`);
  return `# ${workflow.name}\n\n${workflow.doc ?? ''}\n\n## Inputs\n\n${inputs.join('\n')}\n\n## Outputs\n\n${outputs.join('\n')}\n\n## Running it\n\nIn Galaxy: import \`${name}.ga\` (the fairio tools must be installed). Locally, without Galaxy: \`fairio workflow run ${name}.ga LABEL=FILE … --outdir out\`.\n`;
}

function changelog(release: string): string {
  return `# Changelog\n\n## [${release}] - ${new Date().toISOString().slice(0, 10)}\n\nFirst release.\n`;
}

/** The release of the latest `## [x]` heading of a CHANGELOG, as planemo reads it. */
export function changelogRelease(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith('## ['));
  return line ? line.slice(4).split(']')[0] : undefined;
}

/** Files a test job reads, relative to the tests file (refusing paths that leave its folder). */
function testFiles(testsFile: string): string[] {
  const files = new Set<string>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (v.class === 'File' && typeof v.path === 'string') files.add(v.path);
      Object.values(v).forEach(visit);
    }
  };
  for (const test of readTests(testsFile)) visit(test.job);
  for (const f of files) {
    const normal = path.posix.normalize(f.split(path.sep).join('/'));
    if (path.isAbsolute(f) || normal.startsWith('../')) throw new FairioError('INVALID_ARGUMENT', `test data "${f}" lies outside the tests' folder; IWC workflows carry their test data with them`, { path: testsFile });
  }
  return [...files].sort();
}

function dockstore(name: string, workflow: Workflow, tests: boolean): string {
  const authors = workflow.creators.map((c) => {
    const orcid = c.identifier?.match(/\d{4}-\d{4}-\d{4}-\d{3}[\dX]/)?.[0];
    return { name: c.name, ...(orcid ? { orcid } : c.identifier ? { identifier: c.identifier } : {}), ...(c.email ? { email: c.email.replace(/^mailto:/, '') } : {}) };
  });
  const entry = {
    name: 'main',
    subclass: 'Galaxy',
    publish: true,
    primaryDescriptorPath: `/${name}.ga`,
    ...(tests ? { testParameterFiles: [`/${name}-tests.yml`] } : {}),
    ...(authors.length ? { authors } : {}),
  };
  return `version: 1.2\n${stringify({ workflows: [entry] }, { lineWidth: 0 })}`;
}

/** Write the IWC folder for a workflow. */
export function writeIwcDirectory(options: IwcOptions): IwcDirectory {
  const source = path.resolve(options.workflowFile);
  const sourceDir = path.dirname(source);
  const name = workflowStem(source);
  const workflow = readWorkflow(source);
  const merged: Workflow = {
    ...workflow,
    creators: [...workflow.creators, ...(options.creators ?? []).filter((c) => !workflow.creators.some((w) => w.name === c.name))],
    ...(options.release ? { release: options.release } : {}),
    ...(options.license ? { license: options.license } : {}),
  };
  const dir = path.resolve(options.outdir);
  if (fs.existsSync(dir)) {
    if (!options.overwrite) throw new FairioError('OUTPUT_EXISTS', 'exists (use --overwrite to replace it)', { path: dir });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (relative: string, text: string) => {
    fs.writeFileSync(path.join(dir, relative), text);
    files.push(relative);
  };
  write(`${name}.ga`, writeNative(merged, { tools: options.tools ?? defaultTools }));
  const testsFile = options.testsFile ?? testsFileFor(source);
  if (testsFile) {
    fs.copyFileSync(testsFile, path.join(dir, `${name}-tests.yml`));
    files.push(`${name}-tests.yml`);
    for (const f of testFiles(testsFile)) {
      const from = path.resolve(path.dirname(testsFile), f);
      if (!fs.existsSync(from)) throw new FairioError('NOT_FOUND', `test data "${f}" does not exist`, { path: testsFile });
      const to = path.join(dir, f);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.cpSync(from, to, { recursive: true });
      files.push(f.split(path.sep).join('/'));
    }
  }
  const existing = (file: string) => (fs.existsSync(path.join(sourceDir, file)) && path.resolve(sourceDir) !== dir ? fs.readFileSync(path.join(sourceDir, file), 'utf8') : undefined);
  write('README.md', existing('README.md') ?? readme(merged, name));
  const release = merged.release ?? '0.1.0';
  let log = existing('CHANGELOG.md') ?? changelog(release);
  if (changelogRelease(log) !== release) log = log.replace(/^(# [^\n]*\n)?/, (head) => `${head || '# Changelog\n'}\n## [${release}] - ${new Date().toISOString().slice(0, 10)}\n\nReleased with fairio.\n`);
  write('CHANGELOG.md', log);
  write('.dockstore.yml', dockstore(name, merged, Boolean(testsFile)));
  return { dir, name, workflow: merged, files: files.sort() };
}
