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
import { FairioError, isFairioError } from '@fairio/ngff';
import {
  extractCrate,
  normaliseFbbi,
  normaliseTaxon,
  parsePerson,
  readCrate,
  recordRun,
  renderPreview,
  validateCrate,
  verifyCrate,
  writeFileAtomic,
  zipFolder,
  PREVIEW_FILE,
  type CrateValidationReport,
  type ImageDescription,
  type Person,
  type ProfileName,
  type RecordedRun,
  type VerifyReport,
} from '@fairio/provenance';
import { createProgress } from '../progress.js';
import { emit, formatBytes, type CommonOptions } from '../output.js';
import { checkLicense } from '../license.js';

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
      const read = await readCrate(location);
      if (read.kind !== 'folder') throw new FairioError('UNSUPPORTED', 'preview works on a crate folder; unzip the crate first', { path: location });
      const file = path.join(location, PREVIEW_FILE);
      writeFileAtomic(file, await renderPreview(read.json, location));
      emit({ path: file, bytes: fs.statSync(file).size }, options, (p) => `wrote ${p.path}`);
    });
}

// ------------------------------------------------------------ provenance of other commands

/** FAIR metadata options shared by commands that write images (`convert`). */
export interface FairCliOptions {
  license?: string;
  organism?: string;
  imagingMethod?: string;
  description?: string;
  creator?: string[];
  /** false with --no-crate */
  crate?: boolean;
}

/** Add --license, --organism, --imaging-method, --description, --creator and --no-crate to a command. */
export function addFairOptions(command: Command): Command {
  return command
    .option('--license <id>', 'licence of the output: SPDX id (CC-BY-4.0, CC0-1.0, …) or URL, written into its RO-Crate')
    .option('--organism <taxon>', 'NCBI taxon of the organism imaged, e.g. NCBITaxon:9606 (human)')
    .option('--imaging-method <term>', 'FBbi term of the imaging method, e.g. FBbi:00000246 (fluorescence microscopy)')
    .option('--description <text>', 'what the image shows, for its RO-Crate')
    .option('--creator <person...>', 'who made the data: "Name" or "Name <ORCID>" (repeatable); also the agent of the run')
    .option('--no-crate', 'do not record the run in RO-Crates (ro-crate-metadata.json in the output and its folder)');
}

/** Check FAIR options before any work is done, so a typo never costs a long conversion. */
export function checkFairOptions(options: FairCliOptions): ImageDescription & { agent?: Person } {
  const creators = (options.creator ?? []).map(parsePerson);
  if (options.organism) normaliseTaxon(options.organism);
  if (options.imagingMethod) normaliseFbbi(options.imagingMethod);
  return { license: options.license === undefined ? undefined : checkLicense(options.license), organism: options.organism, imagingMethod: options.imagingMethod, description: options.description, creators, agent: creators[0] };
}

/**
 * Record a command's run (successful or not) as a Process Run Crate in the
 * output's folder, and the output's FAIR Image Object crate inside it.
 */
export async function recordCommandRun(run: { command: string; name: string; input: string; output: string; parameters: Record<string, unknown>; started: Date; error?: unknown; fair: ReturnType<typeof checkFairOptions>; imageName?: string }): Promise<RecordedRun | undefined> {
  if (!fs.existsSync(path.dirname(path.resolve(run.output)))) return undefined; // nowhere to write a crate
  const parameters = Object.entries(run.parameters)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([name, value]) => ({ name, value: typeof value === 'number' || typeof value === 'boolean' ? value : String(value) }));
  const { agent, ...image } = run.fair;
  try {
    return await recordRun(
      { name: run.name, tool: run.command, inputs: [run.input], parameters, outputs: [run.output], agent, startTime: run.started, ...(run.error !== undefined ? { error: run.error } : {}) },
      { images: { [run.output]: { ...image, name: run.imageName } }, crate: { license: image.license } },
    );
  } catch (error) {
    if (run.error !== undefined || !isFairioError(error)) throw error;
    // The output is fine; say so, and how to go without a crate.
    throw new FairioError(error.code, `${run.output} was written, but its run could not be recorded: ${error.message} (--no-crate skips recording)`, { cause: error });
  }
}
