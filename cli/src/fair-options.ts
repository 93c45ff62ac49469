/**
 * The FAIR metadata options of commands that write images (a node's outputs,
 * `convert`): declared here without the provenance code that checks and
 * records them (record-command-run.ts, loaded when a command runs).
 */
import type { Command } from 'commander';

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
