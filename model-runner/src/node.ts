/**
 * The analysis-node interface. A node is declared once — inputs, parameters,
 * outputs, help, citations — and every front door is derived from that
 * description: the CLI options, the Galaxy tool XML, the workflow step and
 * the provenance record. `run` does the work; `runNode` (run.ts) adds the
 * checks, timing and record around it.
 */

/** What a data input or output holds, as files on disk. */
export type DataFormat =
  | 'ome-zarr' // OME-Zarr folder (Galaxy datatype ome_zarr)
  | 'tiff' // TIFF / OME-TIFF file
  | 'bioimageio-model' // bioimage.io model: folder, .zip or URL
  | 'fairio-classifier' // trained pixel classifier
  | 'ilastik-project' // .ilp
  | 'imagej-macro' // .ijm
  | 'csv'
  | 'json'
  | 'png';

export interface DataSpec {
  name: string;
  /** Short label for forms (Galaxy, JupyterLab). */
  label: string;
  /** One or two sentences for --help and Galaxy help. */
  help: string;
  formats: DataFormat[];
  optional?: boolean;
  /** Several values (a Galaxy collection, several CLI arguments). */
  multiple?: boolean;
  /** On the command line: a positional argument (in declaration order, inputs first) instead of `--name`. */
  positional?: boolean;
  /** One-letter CLI alias, e.g. 'o' for the main output. */
  short?: string;
  /** The command line's option name when it differs from `name` (`input` for `images`: `--input IMG`, repeatable). */
  option?: string;
}

interface ParameterBase {
  name: string;
  label: string;
  help: string;
  optional?: boolean;
  /** The command line's option name when it differs from `name` (`arg` for `args`: `--arg k=v`). */
  option?: string;
}

export type ParameterSpec =
  | (ParameterBase & { type: 'integer'; default?: number; min?: number; max?: number })
  | (ParameterBase & { type: 'float'; default?: number; min?: number; max?: number })
  | (ParameterBase & { type: 'boolean'; default?: boolean })
  /**
   * `lines`: a list of values held as one text, one value per line (a text area in Galaxy); on the command
   * line a repeatable option, one value each, so a value never needs quoting and may hold any character but
   * a line break. `pattern` then applies to each line.
   */
  | (ParameterBase & { type: 'text'; default?: string; pattern?: string; lines?: boolean })
  | (ParameterBase & { type: 'choice'; default?: string; options: { value: string; label: string }[] });

export type ParameterValue = number | boolean | string;

export interface Citation {
  doi?: string;
  text: string;
}

export interface NodeDescription {
  /** Stable id: `fairio_<id>` in Galaxy, the step type in workflows. */
  id: string;
  /** Command words, e.g. ['predict'] or ['classify', 'train']. */
  command: string[];
  name: string;
  version: string;
  /** One line. */
  summary: string;
  /** Longer help: what it does, when to use it, an example. */
  help: string;
  inputs: DataSpec[];
  parameters: ParameterSpec[];
  outputs: DataSpec[];
  citations?: Citation[];
  /** EDAM operation and topic ids, e.g. 'operation_3443' (image analysis). */
  edam?: { operations: string[]; topics: string[] };
}

/** A piece of software that did part of the work, for provenance. */
export interface SoftwareUsed {
  name: string;
  version: string;
  /** Home page; with the version it identifies the software in provenance. */
  url: string;
}

/** How the runner asks a node to run; nodes pass them on, as they are, to the functions that do the work. */
export interface RunSettings {
  /** Replace existing outputs. */
  overwrite?: boolean;
  /** Worker threads the node may use (default: all cores). */
  workers?: number;
  onProgress?: (done: number, total: number, what?: string) => void;
  signal?: AbortSignal;
}

/** The run settings alone (of a NodeRunContext), for a work function's options. */
export const runSettings = ({ overwrite, workers, onProgress, signal }: RunSettings): RunSettings => ({ overwrite, workers, onProgress, signal });

export interface NodeRunContext extends RunSettings {
  /** Input paths (or URLs) by input name; arrays for `multiple` inputs. */
  inputs: Record<string, string | string[] | undefined>;
  /** Checked parameter values, defaults filled in. */
  parameters: Record<string, ParameterValue | undefined>;
  /** Where each output goes, by output name. */
  outputs: Record<string, string>;
}

/**
 * One independent piece of a batch run (the macro on one image): a folder of
 * its own inside one of the run's outputs, recorded on its own (a Process Run
 * Crate in that folder) beside the record of the whole run.
 */
export interface RunPart {
  /** What this part was, for people ("count.ijm on sample.tiff"). */
  name: string;
  /** The part's folder, inside one of the run's outputs. */
  folder: string;
  /** Its inputs by input name; `text` is the content itself, for a small program text (a macro) worth keeping in the record. */
  inputs: { name: string; path: string; text?: string }[];
  /** What it produced: files and folders inside `folder`. */
  outputs: string[];
  startTime: string;
  endTime: string;
}

/** The command line's spelling of a description name: `classNames` / `class_names` → `class-names`. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');

/** The command-line option of a parameter or non-positional data spec, without dashes (`class-names`, `input`). */
export const optionName = (spec: { name: string; option?: string }): string => kebab(spec.option ?? spec.name);

export interface NodeRunResult {
  /** Output paths actually written, by output name. */
  outputs: Record<string, string | string[]>;
  /** Engines the node used besides fairio and Node.js (ONNX Runtime, ImageJ…). */
  software?: SoftwareUsed[];
  /** Small facts worth reporting (counts, scores), shown by the CLI and kept in the record. */
  summary?: Record<string, unknown>;
  /** A batch node's independent pieces (one per image), each recorded on its own. */
  parts?: RunPart[];
}

export interface AnalysisNode {
  description: NodeDescription;
  run(context: NodeRunContext): Promise<NodeRunResult>;
}
