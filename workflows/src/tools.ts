/**
 * Galaxy tools ↔ fairio nodes, in the terms galaxy-tools generates them:
 * the tool `fairio_<node id>` (a Tool Shed id ending in `/fairio_<id>/<version>`
 * names the same tool), version `<fairio version>+galaxy<suffix>`, form
 * names in Galaxy's spelling (`class_names`; a bioimage.io model or a macro
 * as the conditional `model|file`, `macro|file`), datatypes as the tool XML
 * declares them. Workflow files use those names; the runner and lint map
 * them back to the node's inputs and parameters (node spellings are
 * accepted too, and written back in Galaxy's).
 */
import { FAIRIO, nodes as registryNodes, type AnalysisNode, type DataFormat, type DataSpec, type ParameterSpec, type ParameterValue } from '@fairio/model-runner';
import { commandTools } from './command-tools.js';
import { fairParameters, findTool, galaxyName, GALAXY_FORMATS, inputDatatypes, inputSource, outputDatatype, toolId as galaxyToolId, VERSION_SUFFIX, FAIR_SECTION } from '@fairio/galaxy-tools';

export const TOOL_PREFIX = 'fairio_';

/** The version Galaxy gives fairio's tools (`0.1.0+galaxy0`). */
export const GALAXY_TOOL_VERSION = `${FAIRIO.version}+galaxy${VERSION_SUFFIX}`;

/** fairio formats a Galaxy datatype may hold (empty for datatypes fairio does not read); `data` holds anything. */
export function formatsOfDatatype(datatype: string): DataFormat[] {
  const all = Object.keys(GALAXY_FORMATS) as DataFormat[];
  if (datatype === 'data') return all;
  return all.filter((f) => GALAXY_FORMATS[f].accepts.includes(datatype) || GALAXY_FORMATS[f].produces === datatype);
}

/** Galaxy datatypes a node input accepts. */
export function acceptedDatatypes(node: AnalysisNode, spec: DataSpec): string[] {
  const tool = findTool(node.description.id);
  return tool ? inputDatatypes(tool, spec) : [...new Set(spec.formats.flatMap((f) => GALAXY_FORMATS[f].accepts))];
}

/** Galaxy datatype of a node output (the imagej-macro folder travels zipped). */
export function outputDatatypeOf(node: AnalysisNode, spec: DataSpec): string {
  const tool = findTool(node.description.id);
  return tool ? outputDatatype(tool, spec) : GALAXY_FORMATS[spec.formats[0]].produces;
}

/** File name ending of an output written in `spec`'s (single) format; none for folders of mixed content. */
export function outputExtension(spec: DataSpec): string {
  if (spec.formats.length !== 1) return '';
  const ext: Record<DataFormat, string> = {
    'ome-zarr': '.ome.zarr',
    tiff: '.tiff',
    'bioimageio-model': '.zip',
    'fairio-classifier': '.fairio-rf',
    'ilastik-project': '.ilp',
    'imagej-macro': '.ijm',
    csv: '.csv',
    json: '.json',
    png: '.png',
  };
  return ext[spec.formats[0]];
}

/** The Galaxy form name of a node's data input: `image`, or `model|file` where the form offers a dataset-or-URL choice. */
export function galaxyInputKey(spec: DataSpec): string {
  return inputSource(spec) === 'dataset' ? galaxyName(spec.name) : `${galaxyName(spec.name)}|file`;
}

/** What a step's `in` or `state` key names on a node. */
export type ResolvedKey =
  | { kind: 'input'; spec: DataSpec; key: string }
  | { kind: 'parameter'; spec: ParameterSpec; key: string }
  /** Galaxy-only form fields: a conditional's selector (`model|source`) or the FAIR metadata section. */
  | { kind: 'galaxy'; key: string };

export function resolveKey(node: AnalysisNode, key: string): ResolvedKey | undefined {
  const d = node.description;
  const parts = key.split('|');
  const last = parts[parts.length - 1];
  for (const spec of d.inputs) {
    if (key === spec.name || key === galaxyInputKey(spec) || key === galaxyName(spec.name)) return { kind: 'input', spec, key: galaxyInputKey(spec) };
    if (parts.length === 2 && parts[0] === galaxyName(spec.name) && inputSource(spec) !== 'dataset') return { kind: 'galaxy', key };
  }
  for (const spec of d.parameters) if (key === spec.name || key === galaxyName(spec.name)) return { kind: 'parameter', spec, key: galaxyName(spec.name) };
  if ((parts[0] === FAIR_SECTION || parts.length === 1) && fairParameters.some((p) => p.name === last || galaxyName(p.name) === last)) return { kind: 'galaxy', key };
  return undefined;
}

/** Which fairio node a workflow step's tool id names, among `nodes`. */
export interface ToolRegistry {
  find(toolId: string): AnalysisNode | undefined;
  toolId(node: AnalysisNode): string;
  nodes: AnalysisNode[];
}

/** The tool name in a tool id: `fairio_threshold`, also from Tool Shed ids `…/repos/<owner>/<repo>/fairio_threshold/<version>`. */
export function shortToolId(toolId: string): string {
  const parts = toolId.split('/');
  return toolId.includes('/repos/') && parts.length >= 2 ? parts[parts.length - 2] : parts[parts.length - 1];
}

export function toolRegistry(nodes: AnalysisNode[] = [...commandTools, ...registryNodes]): ToolRegistry {
  const toolId = (node: AnalysisNode) => galaxyToolId(node.description);
  return {
    nodes,
    toolId,
    find(id) {
      const short = shortToolId(id);
      // fairio_imagej-macro and fairio_imagej_macro name the same tool.
      return nodes.find((n) => toolId(n) === short || `${TOOL_PREFIX}${n.description.id}` === short);
    },
  };
}

export const defaultTools = toolRegistry();

/** The value Galaxy's form holds for a parameter nobody set (what the generated tool XML declares). */
export function galaxyDefault(spec: ParameterSpec): ParameterValue | null {
  switch (spec.type) {
    case 'integer':
    case 'float':
      return spec.default ?? null;
    case 'boolean':
      return spec.default ?? false;
    case 'choice':
      return spec.default ?? (spec.optional ? null : spec.options[0].value);
    case 'text':
      return spec.default ?? '';
  }
}

/**
 * Every field of the tool's Galaxy form, as flat `a|b` keys: the step's
 * values, defaults for the rest (Galaxy refuses to run a step whose state
 * it would have to complete), conditional selectors for connected datasets
 * and the FAIR metadata section. Connected keys are left for the caller.
 */
export function galaxyFormState(node: AnalysisNode, state: Record<string, ParameterValue>, connected: Set<string>): Record<string, ParameterValue | null> {
  const out: Record<string, ParameterValue | null> = {};
  for (const spec of node.description.inputs) {
    const key = galaxyInputKey(spec);
    if (key.endsWith('|file')) out[`${key.slice(0, -'|file'.length)}|source`] = 'dataset';
    if (!connected.has(key)) out[key] = null;
  }
  for (const spec of node.description.parameters) {
    const key = galaxyName(spec.name);
    if (!connected.has(key)) out[key] = galaxyDefault(spec);
  }
  if (findTool(node.description.id)?.fair) for (const p of fairParameters) out[`${FAIR_SECTION}|${galaxyName(p.name)}`] = '';
  return { ...out, ...state };
}
