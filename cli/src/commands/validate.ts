/**
 * `fairio validate PATH|URL [--strict]` and
 * `fairio validate --attributes FILE.json --ngff 0.4|0.5|0.6 [--strict]`.
 * With `--json` it prints `{"valid": bool, "message": str}` (plus findings),
 * the form the upstream NGFF conformance runner expects; exit 1 when invalid
 * (`--exit-zero` for runners that treat any non-zero exit as a crash).
 */
import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { FairioError } from '@fairio/ngff/errors';
import type { ValidationReport } from '@fairio/ngff';
import type { CommonOptions } from '../output.js';

interface ValidateOptions extends CommonOptions {
  strict?: boolean;
  attributes?: boolean;
  ngff?: '0.4' | '0.5' | '0.6';
  metadataOnly?: boolean;
  exitZero?: boolean;
}

/** Upstream example documents may carry `//` comment lines; the upstream runner strips them too. */
function readAttributesDocument(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new FairioError('NOT_FOUND', `cannot read the attributes document (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { path: file });
  }
  try {
    return JSON.parse(text.split('\n').filter((line) => !line.trimStart().startsWith('//')).join('\n'));
  } catch (error) {
    throw new FairioError('INVALID_JSON', `is not valid JSON (${(error as Error).message})`, { path: file });
  }
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check an OME-Zarr store (or a bare attributes document) against the official OME-NGFF schemas and semantic rules')
    .argument('<target>', 'OME-Zarr folder, .zip or http(s) URL; with --attributes, a JSON attributes document')
    .option('--strict', 'apply the strict schemas and treat warnings (e.g. missing units) as failures')
    .option('--attributes', 'TARGET is a bare attributes document (.zattrs / zarr.json attributes), not a store')
    .addOption(new Option('--ngff <version>', 'NGFF version of an attributes document (default: detected)').choices(['0.4', '0.5', '0.6']))
    .option('--metadata-only', 'the store holds metadata only (no arrays, wells or fields), as in the 0.6rc0 conformance fixtures')
    .option('--exit-zero', 'exit 0 whenever a verdict is printed, invalid included (for conformance runners that read the verdict from --json)')
    .option('--json', 'print {"valid": bool, "message": str, "findings": [...]}')
    .option('-q, --quiet', 'no progress output')
    .action(async (target: string, options: ValidateOptions) => {
      const { formatReport, validateAttributes, validateStore } = await import('@fairio/ngff');
      let report: ValidationReport;
      try {
        report = options.attributes
          ? validateAttributes(readAttributesDocument(target), { version: options.ngff, strict: options.strict })
          : await validateStore(target, { strict: options.strict, metadataOnly: options.metadataOnly });
      } catch (error) {
        // A document that cannot even be read is invalid, and the runner still wants its JSON verdict.
        if (!(error instanceof FairioError) || !options.json) throw error;
        report = { valid: false, findings: [{ code: error.code, severity: 'error', message: error.message }], message: error.message };
      }
      process.stdout.write(options.json ? `${JSON.stringify({ valid: report.valid, message: report.message, version: report.version, findings: report.findings })}\n` : `${formatReport(report)}\n`);
      if (!report.valid && !options.exitZero) process.exitCode = 1;
    });
}
