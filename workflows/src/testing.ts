/**
 * planemo workflow tests (`<name>-tests.yml`, as IWC keeps them beside each
 * workflow) run by the local runner: each test's `job` becomes the
 * workflow's inputs and its `outputs` expectations are checked against what
 * the run wrote. The assertions understood are the common text and size
 * ones (`has_text`, `not_has_text`, `has_line`, `has_line_matching`,
 * `has_n_lines`, `has_n_columns`, `has_size`), per element for collections
 * (`element_tests`); the same file runs unchanged under planemo in Galaxy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FairioError } from '@fairio/ngff';
import { listFiles } from '@fairio/provenance';
import { readWorkflow, workflowStem } from './formats/index.js';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from './runner/run.js';
import { jobInputs, type Value } from './runner/values.js';

export interface OutputExpectation {
  asserts?: Record<string, Record<string, unknown> | Record<string, unknown>[]>;
  element_tests?: Record<string, { asserts?: OutputExpectation['asserts'] }>;
}

export interface WorkflowTestCase {
  doc?: string;
  job: Record<string, unknown>;
  outputs: Record<string, OutputExpectation>;
}

export interface WorkflowTestResult {
  doc?: string;
  passed: boolean;
  /** What did not hold, one line each. */
  failures: string[];
  run: WorkflowRunResult;
}

/** The tests file planemo finds for a workflow file (`<stem>-tests.yml` and its spellings), if any. */
export function testsFileFor(workflowFile: string): string | undefined {
  const dir = path.dirname(workflowFile);
  const stem = workflowStem(workflowFile);
  for (const suffix of ['-tests', '_tests', '-test', '_test']) {
    for (const ext of ['.yml', '.yaml']) {
      const candidate = path.join(dir, `${stem}${suffix}${ext}`);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export function readTests(file: string): WorkflowTestCase[] {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FairioError('INVALID_METADATA', `cannot read the workflow tests: ${(error as Error).message.split('\n')[0]}`, { path: file });
  }
  if (!Array.isArray(doc)) throw new FairioError('INVALID_METADATA', 'workflow tests must be a list of test cases', { path: file });
  return doc.map((t, i) => {
    const test = t as Record<string, unknown>;
    if (typeof test?.job !== 'object' || test.job === null) throw new FairioError('INVALID_METADATA', `test ${i + 1} has no job`, { path: file });
    return { ...(typeof test.doc === 'string' ? { doc: test.doc } : {}), job: test.job as Record<string, unknown>, outputs: (test.outputs ?? {}) as Record<string, OutputExpectation> };
  });
}

function textOf(file: string): string | undefined {
  return fs.statSync(file).isDirectory() ? undefined : fs.readFileSync(file, 'utf8');
}

async function sizeOf(target: string): Promise<number> {
  if (!fs.statSync(target).isDirectory()) return fs.statSync(target).size;
  let total = 0;
  for (const f of await listFiles(target)) total += fs.statSync(path.join(target, f)).size;
  return total;
}

const lines = (text: string) => text.replace(/\n$/, '').split('\n');

/** Failures of planemo-style assertions on one output file or folder. */
export async function checkAssertions(target: string, asserts: OutputExpectation['asserts'], what: string): Promise<string[]> {
  const failures: string[] = [];
  for (const [name, raw] of Object.entries(asserts ?? {})) {
    for (const args of Array.isArray(raw) ? raw : [raw]) {
      const a = args ?? {};
      const fail = (message: string) => failures.push(`${what}: ${name} ${JSON.stringify(a)}: ${message}`);
      if (name === 'has_size') {
        const size = await sizeOf(target);
        const delta = Number(a.delta ?? 0);
        const value = a.value ?? a.size;
        if (value !== undefined && Math.abs(size - Number(value)) > delta) fail(`size is ${size}`);
        if (a.min !== undefined && size < Number(a.min)) fail(`size is ${size}`);
        if (a.max !== undefined && size > Number(a.max)) fail(`size is ${size}`);
        continue;
      }
      const text = textOf(target);
      if (text === undefined) {
        fail('the output is a folder; only has_size applies to it here');
        continue;
      }
      switch (name) {
        case 'has_text':
          if (!text.includes(String(a.text))) fail('text not found');
          break;
        case 'not_has_text':
          if (text.includes(String(a.text))) fail('text found');
          break;
        case 'has_line':
          if (!lines(text).includes(String(a.line))) fail('line not found');
          break;
        case 'has_line_matching':
          if (!lines(text).some((l) => new RegExp(`^(?:${String(a.expression)})$`).test(l))) fail('no line matches');
          break;
        case 'has_n_lines': {
          const n = lines(text).length;
          if (a.n !== undefined && Math.abs(n - Number(a.n)) > Number(a.delta ?? 0)) fail(`has ${n} lines`);
          if (a.min !== undefined && n < Number(a.min)) fail(`has ${n} lines`);
          if (a.max !== undefined && n > Number(a.max)) fail(`has ${n} lines`);
          break;
        }
        case 'has_n_columns': {
          const sep = a.sep === undefined ? '\t' : String(a.sep);
          const n = lines(text)[0]?.split(sep).length ?? 0;
          if (Math.abs(n - Number(a.n)) > Number(a.delta ?? 0)) fail(`has ${n} columns`);
          break;
        }
        default:
          fail('this assertion is checked by planemo in Galaxy, not by the local runner');
      }
    }
  }
  return failures;
}

async function checkOutput(label: string, value: Value | undefined, expectation: OutputExpectation): Promise<string[]> {
  if (!value) return [`output "${label}" was not produced`];
  if (value.kind === 'parameter') return [];
  if (expectation.element_tests) {
    if (value.kind !== 'list') return [`output "${label}" is not a collection, but the test has element_tests`];
    const failures: string[] = [];
    for (const [id, test] of Object.entries(expectation.element_tests)) {
      const element = value.elements.find((e) => e.identifier === id);
      if (!element) failures.push(`output "${label}" has no element "${id}" (elements: ${value.elements.map((e) => e.identifier).join(', ')})`);
      else failures.push(...(await checkAssertions(element.path, test.asserts, `${label}/${id}`)));
    }
    return failures;
  }
  if (value.kind === 'list') {
    const failures: string[] = [];
    for (const e of value.elements) failures.push(...(await checkAssertions(e.path, expectation.asserts, `${label}/${e.identifier}`)));
    return failures;
  }
  return checkAssertions(value.path, expectation.asserts, label);
}

/** Run every test of a workflow's tests file locally, each into `outdir/test-<n>`. */
export async function runWorkflowTests(workflowFile: string, options: Omit<RunWorkflowOptions, 'inputs' | 'workflowFile'> & { testsFile?: string }): Promise<WorkflowTestResult[]> {
  const testsFile = options.testsFile ?? testsFileFor(workflowFile);
  if (!testsFile) throw new FairioError('NOT_FOUND', `no tests beside the workflow (expected ${workflowStem(workflowFile)}-tests.yml)`, { path: workflowFile });
  const workflow = readWorkflow(workflowFile);
  const results: WorkflowTestResult[] = [];
  const cases = readTests(testsFile);
  for (const [i, test] of cases.entries()) {
    const run = await runWorkflow(workflow, {
      ...options,
      workflowFile,
      inputs: jobInputs(test.job, path.dirname(path.resolve(testsFile))),
      outdir: cases.length === 1 ? options.outdir : path.join(options.outdir, `test-${i + 1}`),
    });
    const failures = run.status === 'failed' ? [run.error ?? 'the run failed'] : [];
    for (const [label, expectation] of Object.entries(test.outputs)) failures.push(...(await checkOutput(label, run.outputs[label], expectation ?? {})));
    results.push({ ...(test.doc ? { doc: test.doc } : {}), passed: failures.length === 0, failures, run });
  }
  return results;
}
