/**
 * A crate check is a small named function that reports findings with a
 * stable code, in the manner of Galaxy's tool linters: the CLI prints them,
 * tests assert on codes. `error` findings break a profile's REQUIRED rules;
 * `warning` findings are RECOMMENDED ones.
 */
import type { Crate } from '../reader.js';
import type { ProfileName } from '../vocabulary.js';

export type Severity = 'error' | 'warning';

export interface CrateFinding {
  code: string;
  severity: Severity;
  /** The entity the finding is about, when there is one. */
  entity?: string;
  message: string;
  profile: ProfileName;
}

export interface CrateCheck {
  code: string;
  profile: ProfileName;
  /** What the check enforces, for documentation and `--json`. */
  description: string;
  run(crate: Crate, report: (severity: Severity, message: string, entity?: string) => void): void;
}
