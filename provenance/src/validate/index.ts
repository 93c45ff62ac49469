/**
 * `validateCrate`: fairio's own reading of the REQUIRED (`error`) and
 * RECOMMENDED (`warning`) rules of RO-Crate 1.1 and the profiles it writes.
 * The community validator (roc-validator) is what the tests hold fairio's
 * crates to; this is the quick offline check for the command line.
 */
import { idsOf } from '../builder.js';
import { readCrate, type Crate } from '../reader.js';
import { PROFILES, PROFILE_NAMES, type ProfileName } from '../vocabulary.js';
import { roCrateChecks } from './ro-crate-checks.js';
import { processChecks, provenanceChecks, workflowChecks, workflowRoCrateChecks } from './run-checks.js';
import type { CrateCheck, CrateFinding } from './types.js';

export type { CrateCheck, CrateFinding, Severity } from './types.js';

export const CRATE_CHECKS: CrateCheck[] = [...roCrateChecks, ...processChecks, ...workflowChecks, ...provenanceChecks, ...workflowRoCrateChecks];

/** A profile and the ones it builds on. */
const INCLUDES: Record<ProfileName, ProfileName[]> = {
  'ro-crate': ['ro-crate'],
  process: ['ro-crate', 'process'],
  workflow: ['ro-crate', 'process', 'workflow'],
  provenance: ['ro-crate', 'process', 'workflow', 'provenance'],
  'workflow-ro-crate': ['ro-crate', 'workflow-ro-crate'],
};

export interface CrateValidationReport {
  location: string;
  /** Profiles checked (those asked for, or those the crate claims). */
  profiles: ProfileName[];
  /** No `error` finding. */
  valid: boolean;
  findings: CrateFinding[];
}

/** Profiles a crate declares in its root or descriptor `conformsTo`. */
export function claimedProfiles(crate: Crate): ProfileName[] {
  const ids = [...idsOf(crate.root.conformsTo), ...idsOf(crate.get('ro-crate-metadata.json')?.conformsTo)];
  const claimed: ProfileName[] = ['ro-crate'];
  for (const [name, p] of Object.entries(PROFILES)) if (ids.some((id) => id.startsWith(p.id.replace(/[^/]+$/, '')))) claimed.push(name as ProfileName);
  return claimed;
}

/** Run the checks of the given profiles (default: those the crate claims). */
export function checkCrate(crate: Crate, profiles?: ProfileName[]): CrateValidationReport {
  const wanted = new Set((profiles?.length ? profiles : claimedProfiles(crate)).flatMap((p) => INCLUDES[p]));
  const findings: CrateFinding[] = [];
  for (const check of CRATE_CHECKS) {
    if (!wanted.has(check.profile)) continue;
    check.run(crate, (severity, message, entity) => findings.push({ code: check.code, severity, message, profile: check.profile, ...(entity ? { entity } : {}) }));
  }
  return { location: crate.location, profiles: PROFILE_NAMES.filter((p) => wanted.has(p)), valid: !findings.some((f) => f.severity === 'error'), findings };
}

/** Read (safely) and check a crate folder or zip. */
export async function validateCrate(location: string, options: { profiles?: ProfileName[] } = {}): Promise<CrateValidationReport> {
  return checkCrate(await readCrate(location), options.profiles);
}
