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
}

interface ParameterBase {
  name: string;
  label: string;
  help: string;
  optional?: boolean;
}

export type ParameterSpec =
  | (ParameterBase & { type: 'integer'; default?: number; min?: number; max?: number })
  | (ParameterBase & { type: 'float'; default?: number; min?: number; max?: number })
  | (ParameterBase & { type: 'boolean'; default?: boolean })
  | (ParameterBase & { type: 'text'; default?: string; pattern?: string })
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

export interface NodeRunContext {
  /** Input paths (or URLs) by input name; arrays for `multiple` inputs. */
  inputs: Record<string, string | string[] | undefined>;
  /** Checked parameter values, defaults filled in. */
  parameters: Record<string, ParameterValue | undefined>;
  /** Where each output goes, by output name. */
  outputs: Record<string, string>;
  /** Replace existing outputs. */
  overwrite?: boolean;
  /** Worker threads the node may use (default: all cores). */
  workers?: number;
  onProgress?: (done: number, total: number, what?: string) => void;
  signal?: AbortSignal;
}

export interface NodeRunResult {
  /** Output paths actually written, by output name. */
  outputs: Record<string, string | string[]>;
  /** Engines the node used besides fairio and Node.js (ONNX Runtime, ImageJ…). */
  software?: SoftwareUsed[];
  /** Small facts worth reporting (counts, scores), shown by the CLI and kept in the record. */
  summary?: Record<string, unknown>;
}

export interface AnalysisNode {
  description: NodeDescription;
  run(context: NodeRunContext): Promise<NodeRunResult>;
}
