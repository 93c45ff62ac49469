/**
 * Reading and writing workflow files in either format, told apart by name
 * (`.ga`, `.gxwf.yml`) or, failing that, by content.
 */
import * as fs from 'node:fs';
import { FairioError } from '@fairio/ngff';
import type { Workflow } from '../model.js';
import type { ToolRegistry } from '../tools.js';
import { parseGxformat2, writeGxformat2 } from './gxformat2.js';
import { parseNative, writeNative } from './native.js';

export type WorkflowFormat = 'ga' | 'gxwf';

export const EXTENSIONS: Record<WorkflowFormat, string> = { ga: '.ga', gxwf: '.gxwf.yml' };

/** The format of a workflow file by its name, else its first character. */
export function formatOf(file: string, text?: string): WorkflowFormat {
  if (file.endsWith('.ga')) return 'ga';
  if (/\.(gxwf\.)?ya?ml$/.test(file)) return 'gxwf';
  return (text ?? '').trimStart().startsWith('{') ? 'ga' : 'gxwf';
}

export function parseWorkflow(text: string, format: WorkflowFormat, source?: string): Workflow {
  return format === 'ga' ? parseNative(text, source) : parseGxformat2(text, source);
}

export function writeWorkflowText(workflow: Workflow, format: WorkflowFormat, options: { tools?: ToolRegistry } = {}): string {
  return format === 'ga' ? writeNative(workflow, options) : writeGxformat2(workflow, options);
}

/** Read a `.ga` or `.gxwf.yml` file. */
export function readWorkflow(file: string): Workflow {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new FairioError('NOT_FOUND', 'workflow file cannot be read', { path: file, cause: error });
  }
  return parseWorkflow(text, formatOf(file, text), file);
}

/** File name stem of a workflow file ("segment" for segment.gxwf.yml and segment.ga). */
export function workflowStem(file: string): string {
  const base = file.split(/[\\/]/).pop()!;
  return base.replace(/\.(ga|gxwf\.ya?ml|ya?ml)$/, '');
}

export { parseGxformat2, writeGxformat2, parseNative, writeNative };
