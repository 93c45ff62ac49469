/**
 * `fairio crate validate|verify|zip|unzip|preview`: RO-Crates as users meet
 * them. `validate` checks the REQUIRED (errors) and RECOMMENDED (warnings)
 * rules of RO-Crate 1.1 and the run profiles; `verify` re-hashes every file
 * and names what changed; `zip`/`unzip` move crates around (unzip refuses
 * unsafe archives); `preview` rewrites ro-crate-preview.html. Exit 1 when a
 * crate is invalid or changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { FairioError } from '@fairio/ngff/errors';
import { PREVIEW_FILE, type ProfileName } from '@fairio/provenance/vocabulary';
import type { CrateValidationReport, VerifyReport } from '@fairio/provenance';
import { createProgress } from '../progress.js';
import { emit, formatBytes, type CommonOptions } from '../output.js';

const PROFILE_CHOICES: Record<string, ProfileName> = {
  'ro-crate': 'ro-crate',
  process: 'process',
  workflow: 'workflow',
  provenance: 'provenance',
  'workflow-ro-crate': 'workflow-ro-crate',
};

interface ValidateCrateOptions extends CommonOptions {
  profile?: string[];
}

function describeValidation(report: CrateValidationReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error');
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  const lines = [`${report.location}: ${report.valid ? 'valid' : 'INVALID'} RO-Crate (${report.profiles.join(', ')}): ${errors.length} error(s), ${warnings.length} warning(s)`];
  for (const f of [...errors, ...warnings]) lines.push(`  ${f.severity === 'error' ? 'error  ' : 'warning'} ${f.code}: ${f.message}`);
  return lines.join('\n');
}

function describeVerification(report: VerifyReport): string {
  const lines = [`${report.crate}: ${report.ok ? 'unchanged' : 'CHANGED'} (${report.checked} files, ${formatBytes(report.bytes)} re-hashed)`];
  for (const p of report.problems) lines.push(`  problem  ${p}`);
  for (const f of report.modified) lines.push(`  modified ${f}`);
  for (const f of report.missing) lines.push(`  missing  ${f}`);
  for (const f of report.added) lines.push(`  added    ${f}`);
  return lines.join('\n');
}

export function registerCrate(program: Command): void {
  const crate = program.command('crate').description('RO-Crates: validate, verify checksums, zip, unzip, preview');

  crate
    .command('validate')
    .description('check a crate folder or .zip against RO-Crate 1.1 and the profiles it claims (or --profile)')
    .argument('<crate>', 'crate folder or .zip')
    .addOption(new Option('--profile <name...>', 'profile(s) to check instead of those the crate claims').choices(Object.keys(PROFILE_CHOICES)))
    .option('--json', 'print {"valid": bool, "profiles": [...], "findings": [...]}')
    .option('-q, --quiet', 'no progress output')
    .action(async (location: string, options: ValidateCrateOptions) => {
      const { validateCrate } = await import('@fairio/provenance');
      const report = await validateCrate(location, { profiles: options.profile?.map((p) => PROFILE_CHOICES[p]) });
      emit(report, options, describeValidation);
      if (!report.valid) process.exitCode = 1;
    });

  crate
    .command('verify')
    .description('re-hash every file of a crate folder and report what was modified, deleted or added')
    .argument('<crate>', 'crate folder')
    .option('--json', 'print {"ok": bool, "modified": [...], "missing": [...], "added": [...]}')
    .option('-q, --quiet', 'no progress bar')
    .action(async (location: string, options: CommonOptions) => {
      const { verifyCrate } = await import('@fairio/provenance');
      const progress = createProgress('verifying', { quiet: options.quiet });
      try {
        const report = await verifyCrate(location, { onProgress: (bytes) => progress.update(bytes, Math.max(bytes, 1)) });
        progress.stop();
        emit(report, options, describeVerification);
        if (!report.ok) process.exitCode = 1;
      } finally {
        progress.stop();
      }
    });

  crate
    .command('zip')
    .description('zip a crate folder (e.g. for WorkflowHub), ro-crate-metadata.json first')
    .argument('<crate>', 'crate folder')
    .argument('[output]', 'zip file to write (default: CRATE.crate.zip beside the folder)')
    .option('--overwrite', 'replace OUTPUT if it exists')
    .option('--json', 'print a JSON summary')
    .option('-q, --quiet', 'no progress output')
    .action(async (location: string, output: string | undefined, options: CommonOptions & { overwrite?: boolean }) => {
      const { readCrate, zipFolder } = await import('@fairio/provenance');
      await readCrate(location); // refuse to package something that is not a (safe) crate
      const resolved = path.resolve(location);
      const target = output ?? path.join(path.dirname(resolved), `${path.basename(resolved)}.crate.zip`);
      const written = await zipFolder(location, target, { overwrite: options.overwrite, exclude: (r) => r.endsWith('.lock') || /(^|\/)\.[^/]+\.(partial|tmp)-/.test(r) });
      emit({ path: target, ...written }, options, (w) => `wrote ${w.path}: ${w.entries} entries, ${formatBytes(w.bytes)}`);
    });

  crate
    .command('unzip')
    .description('extract a crate .zip into a new folder, refusing unsafe archives (path traversal, zip bombs)')
    .argument('<zip>', 'crate .zip')
    .argument('<output>', 'folder to create')
    .option('--json', 'print a JSON summary')
    .option('-q, --quiet', 'no progress output')
    .action(async (zip: string, output: string, options: CommonOptions) => {
      const { extractCrate } = await import('@fairio/provenance');
      const extracted = await extractCrate(zip, output);
      emit({ path: output, entities: extracted.entities.length }, options, (e) => `extracted ${zip} into ${e.path} (${e.entities} entities)`);
    });

  crate
    .command('preview')
    .description(`write ${PREVIEW_FILE} (what ran, when, with what, on what, producing what) for a crate folder`)
    .argument('<crate>', 'crate folder')
    .option('--json', 'print a JSON summary')
    .option('-q, --quiet', 'no progress output')
    .action(async (location: string, options: CommonOptions) => {
      const { readCrate, renderPreview, writeFileAtomic } = await import('@fairio/provenance');
      const read = await readCrate(location);
      if (read.kind !== 'folder') throw new FairioError('UNSUPPORTED', 'preview works on a crate folder; unzip the crate first', { path: location });
      const file = path.join(location, PREVIEW_FILE);
      writeFileAtomic(file, await renderPreview(read.json, location));
      emit({ path: file, bytes: fs.statSync(file).size }, options, (p) => `wrote ${p.path}`);
    });
}
