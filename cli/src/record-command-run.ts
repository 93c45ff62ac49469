/**
 * Provenance of commands that write images: their FAIR options checked
 * before any work, and their run (successful or not) recorded as a Process
 * Run Crate beside the output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError, isFairioError } from '@fairio/ngff/errors';
import { normaliseFbbi, normaliseTaxon, parsePerson, recordRun, type ImageDescription, type Person, type RecordedRun } from '@fairio/provenance';
import { checkLicense } from './license.js';
import type { FairCliOptions } from './fair-options.js';

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
