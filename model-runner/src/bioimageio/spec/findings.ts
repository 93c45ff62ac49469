/**
 * What a model check reports: a finding with a severity, a stable code (for
 * tests, `--json` and documentation) and a message a biologist can act on.
 * Errors make a description invalid; warnings and notes do not.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** Stable id, e.g. 'duplicate-tensor-id', 'sha256-mismatch', 'unsafe-path'. */
  code: string;
  message: string;
  /** Where in the description, dotted ('inputs.0.axes.2'). */
  field?: string;
}

export const error = (code: string, message: string, field?: string): Finding => ({ severity: 'error', code, message, field });
export const warning = (code: string, message: string, field?: string): Finding => ({ severity: 'warning', code, message, field });
export const info = (code: string, message: string, field?: string): Finding => ({ severity: 'info', code, message, field });
