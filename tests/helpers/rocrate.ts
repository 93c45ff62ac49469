/**
 * The RO-Crate community's own tools as test references: roc-validator
 * (profile validation, run offline through `roc_validate.py`, which serves
 * the JSON-LD contexts from fairio's bundled copies) and ro-crate-py (reading
 * crates back). Both live in the project's .venv (requirements-dev.txt).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { hasPython, projectRoot, pythonJson, venvPython } from './reference.js';

function importable(module: string): boolean {
  if (!hasPython) return false;
  try {
    execFileSync(venvPython, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const hasRocValidator = importable('rocrate_validator');
export const hasRoCratePy = importable('rocrate');

const script = path.join(projectRoot, 'tests', 'helpers', 'roc_validate.py');
const contexts = { 'https://w3id.org/ro/crate/1.1/context': path.join(projectRoot, 'provenance', 'contexts', 'ro-crate-1.1.jsonld') };

export interface RocIssue {
  severity: 'REQUIRED' | 'RECOMMENDED' | 'OPTIONAL';
  check: string;
  message: string;
  entity: string | null;
}

export interface RocResult {
  crate: string;
  profile: string;
  severity: 'REQUIRED' | 'RECOMMENDED';
  passed: boolean;
  issues: RocIssue[];
  /** URLs the validator asked for that are not bundled (answered 404). */
  refused: string[];
}

export type RocJob = [crate: string, profile: string, severity: 'REQUIRED' | 'RECOMMENDED'];

/**
 * roc-validator's verdicts on crate folders or zips, one per job (profile
 * e.g. "process-run-crate-0.5"), all in one Python process.
 */
export function rocValidate(jobs: RocJob[]): Promise<RocResult[]> {
  return pythonJson<RocResult[]>('import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")', [script, JSON.stringify(jobs), JSON.stringify(contexts)]);
}

/** One line per issue, for assertion messages and the conformance page. */
export function describeIssues(result: RocResult): string {
  return result.issues.map((i) => `${i.severity} ${i.check}: ${i.message} (${i.entity ?? '-'})`).join('\n');
}
