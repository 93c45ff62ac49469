/**
 * `lintWorkflow`: every check in `CHECKS` over a workflow; `assertRunnable`
 * refuses a workflow with errors before anything runs, naming each problem.
 */
import { FairioError } from '@fairio/ngff';
import type { AnalysisNode } from '@fairio/model-runner';
import type { ToolStep, Workflow } from '../model.js';
import { defaultTools, type ToolRegistry } from '../tools.js';
import { CHECKS, type Finding, type LintContext, type WorkflowCheck } from './checks.js';

export interface LintReport {
  /** No errors (warnings allowed). */
  valid: boolean;
  findings: Finding[];
}

export interface LintOptions {
  tools?: ToolRegistry;
  /** Leave out IWC's best-practice warnings (annotations, creators, licence, release). */
  skipBestPractices?: boolean;
  checks?: WorkflowCheck[];
}

export function lintWorkflow(workflow: Workflow, options: LintOptions = {}): LintReport {
  const tools = options.tools ?? defaultTools;
  const cache = new Map<string, AnalysisNode | undefined>();
  const context: LintContext = {
    workflow,
    tools,
    node: (step: ToolStep) => {
      if (!cache.has(step.toolId)) cache.set(step.toolId, tools.find(step.toolId));
      return cache.get(step.toolId);
    },
  };
  const checks = (options.checks ?? CHECKS).filter((c) => !(options.skipBestPractices && c.name === 'best practices'));
  const findings = checks.flatMap((c) => c.run(context));
  return { valid: !findings.some((f) => f.severity === 'error'), findings };
}

/** A workflow with lint errors cannot run: one error naming them all. */
export class WorkflowLintError extends FairioError {
  readonly findings: Finding[];
  constructor(findings: Finding[], source?: string) {
    const errors = findings.filter((f) => f.severity === 'error');
    super('INVALID_ARGUMENT', `the workflow cannot run: ${errors.map((f) => `[${f.code}] ${f.message}`).join('; ')}`, { path: source });
    this.findings = findings;
  }
}

export function assertRunnable(workflow: Workflow, options: { tools?: ToolRegistry; source?: string } = {}): void {
  const report = lintWorkflow(workflow, { tools: options.tools, skipBestPractices: true });
  if (!report.valid) throw new WorkflowLintError(report.findings, options.source);
}

export { CHECKS, type Finding, type Severity, type WorkflowCheck, type LintContext } from './checks.js';
