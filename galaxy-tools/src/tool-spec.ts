/**
 * A Galaxy tool as fairio declares it: a node description (the same one the
 * CLI is built from) plus what only Galaxy needs — how the job calls the
 * `fairio` command line, per-output datatype overrides, the tool's tests and
 * cross-references. The generator (tool-xml.ts) and the job side (job.ts)
 * both read this, so the form Galaxy shows and the arguments the job builds
 * cannot drift apart.
 */
import type { NodeDescription } from '@fairio/model-runner/nodes';

/** How a tool's job runs fairio. */
export type ToolRun =
  /** A node command (`fairio threshold …`): it records its own Process Run Crate beside its outputs. */
  | { kind: 'node' }
  /**
   * Another fairio command. `fixed` arguments always go first (e.g. `--json`), `stdout` names the
   * output that receives what the command prints, `verdictExitCodes` are exit codes that still
   * mean "the output is a valid report" (validate: 1 = invalid), and `records` says whether the
   * command writes its own crate (convert does) or the job records it.
   */
  | { kind: 'command'; fixed?: string[]; stdout?: string; verdictExitCodes?: number[]; records: boolean };

export interface OutputOverride {
  /** Galaxy datatype instead of the one derived from the output's formats. */
  format: string;
  /** A folder output that Galaxy receives zipped. */
  zipFolder?: boolean;
}

/** A value for one test parameter: plain text, or a file from `tools/test-data` with its datatype. */
export type TestValue = string | { file: string; ftype: string } | { files: string[]; ftype: string };

/** What a test expects of one output. */
export interface TestExpectation {
  /** Texts the primary file contains. */
  hasText?: string[];
  /** Header line of a table output. */
  hasLine?: string;
  /** Members a zip output holds. */
  archiveMembers?: string[];
  /** Texts in a file of a directory output's store (OME-Zarr: `zarr.json` or `.zattrs`). */
  extraFile?: { name: string; hasText: string[] };
}

export interface ToolTest {
  /** Parameter values by Galaxy name (`section|name` or `conditional|name` for nested ones). */
  params: Record<string, TestValue>;
  /** Expectations by output name; every test also checks that the crate holds its metadata. */
  outputs: Record<string, TestExpectation>;
}

export interface GalaxyTool {
  description: NodeDescription;
  run: ToolRun;
  outputs?: Record<string, OutputOverride>;
  /** Galaxy datatypes of an input instead of those derived from its formats (a zipped crate). */
  inputs?: Record<string, { accepts: string[] }>;
  /**
   * Node parameters the Galaxy form does not offer: settings that belong to the admin, not the user
   * (the ImageJ installation a job runs is set on the job destination, e.g. FIJI_HOME, never picked by a user).
   */
  omit?: string[];
  /** FAIR metadata options (licence, organism, imaging method, …) for the crates of image outputs. */
  fair: boolean;
  tests: ToolTest[];
  /** bio.tools / biii.eu entries of the software the tool runs, only where such entries exist. */
  xrefs?: { type: 'bio.tools' | 'biii'; value: string }[];
}

/** Galaxy tool id of a fairio tool: `fairio_` and the node id, with `-` as `_`. */
export function toolId(description: NodeDescription): string {
  return `fairio_${description.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The name of the job's RO-Crate output, beside the tool's own outputs. */
export const CRATE_OUTPUT = 'crate';
