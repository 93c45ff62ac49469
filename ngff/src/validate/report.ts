/**
 * Findings and reports: what every check returns, how a list of findings
 * becomes a verdict (strict turns warnings into failures), and how a report
 * reads for a human.
 */
import type { NgffVersion } from '../metadata/types.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable, kebab-case; tests and scripts match on it. */
  code: string;
  severity: Severity;
  message: string;
  /** Where: a store node (`/labels/cells`) and/or a JSON pointer into its attributes (`#/ome/multiscales/0`). */
  path?: string;
}

export interface ValidationReport {
  valid: boolean;
  version?: NgffVersion;
  findings: Finding[];
  /** One-line summary; for an invalid document, the first error. */
  message: string;
}

export interface ValidateOptions {
  /** Use the `strict_*` schemas and count warnings as failures. */
  strict?: boolean;
}

/** Shorthands so checks read as one line per finding. */
export const error = (code: string, message: string, path?: string): Finding => ({ code, severity: 'error', message, ...(path !== undefined ? { path } : {}) });
export const warning = (code: string, message: string, path?: string): Finding => ({ code, severity: 'warning', message, ...(path !== undefined ? { path } : {}) });
export const info = (code: string, message: string, path?: string): Finding => ({ code, severity: 'info', message, ...(path !== undefined ? { path } : {}) });

function where(finding: Finding): string {
  return finding.path ? ` (at ${finding.path})` : '';
}

/** Turn findings into a verdict: any error fails; with `strict`, any warning fails too. */
export function buildReport(findings: Finding[], version: NgffVersion | undefined, subject: string, strict = false): ValidationReport {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const failing = strict ? [...errors, ...warnings] : errors;
  const valid = failing.length === 0;
  const label = version ? `OME-NGFF ${version}` : 'OME-NGFF';
  let message: string;
  if (valid) {
    const notes = warnings.length ? ` with ${warnings.length} warning${warnings.length > 1 ? 's' : ''}` : '';
    message = `${subject} is valid ${label}${strict ? ' (strict)' : ''}${notes}`;
  } else {
    const first = failing[0];
    const more = failing.length > 1 ? ` (+${failing.length - 1} more)` : '';
    const strictNote = first.severity === 'warning' ? 'strict: ' : '';
    message = `${strictNote}${first.code}: ${first.message}${where(first)}${more}`;
  }
  return { valid, ...(version ? { version } : {}), findings, message };
}

/** A report as plain text, one finding a line, worst first; for terminals and logs. */
export function formatReport(report: ValidationReport): string {
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const lines = [`${report.valid ? 'VALID' : 'INVALID'}: ${report.message}`];
  const sorted = [...report.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  for (const f of sorted) {
    lines.push(`  ${f.severity.padEnd(7)} ${f.code}${f.path ? ` [${f.path}]` : ''}: ${f.message}`);
  }
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s)`);
  return lines.join('\n');
}
