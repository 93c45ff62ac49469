/**
 * One Galaxy tool XML from one fairio tool description, IUC style: id
 * `fairio_<id>`, version `@TOOL_VERSION@+galaxy@VERSION_SUFFIX@` and the
 * profile from macros.xml, EDAM terms, typed inputs with `argument=`,
 * outputs with Galaxy datatypes plus the job's RO-Crate, tests, RST help and
 * citations.
 *
 * The command line holds no value a user typed. Galaxy writes the whole
 * form as JSON (`<configfiles><inputs data_style="staging_path_and_source_path">`)
 * and `fairio galaxy-run` turns that JSON into an argument vector for the
 * ordinary fairio command, which it runs without a shell. The only things
 * templated into the command are paths Galaxy itself chose (the JSON file,
 * output datasets), single-quoted. Text parameters therefore switch Galaxy's
 * sanitizer off: they reach fairio verbatim, quotes and newlines included,
 * and never meet a shell.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DataSpec, ParameterSpec } from '@fairio/model-runner/nodes';
import { acceptedDatatypes, GALAXY_FORMATS } from './datatypes.js';
import { toolHelp } from './help.js';
import { formNaming, galaxyName } from './names.js';
import { CRATE_OUTPUT, toolId, type GalaxyTool, type TestExpectation, type TestValue } from './tool-spec.js';

/** How a data input is offered in the form. */
export type InputSource =
  /** a history dataset */
  | 'dataset'
  /** a history dataset, or text pasted into the form (an ImageJ macro) */
  | 'dataset-or-text'
  /** a history dataset, or an http(s) URL (a bioimage.io model) */
  | 'dataset-or-url';

export function inputSource(spec: DataSpec): InputSource {
  if (spec.formats.includes('imagej-macro')) return 'dataset-or-text';
  if (spec.formats.includes('bioimageio-model')) return 'dataset-or-url';
  return 'dataset';
}

/** Galaxy datatypes accepted by a tool input. */
export function inputDatatypes(tool: GalaxyTool, spec: DataSpec): string[] {
  return tool.inputs?.[spec.name]?.accepts ?? acceptedDatatypes(spec.formats);
}

/** Galaxy datatype of a tool output. */
export function outputDatatype(tool: GalaxyTool, spec: DataSpec): string {
  return tool.outputs?.[spec.name]?.format ?? GALAXY_FORMATS[spec.formats[0]].produces;
}

/** Galaxy datatypes whose content lives in the dataset's extra files (a directory), not its file. */
export const DIRECTORY_DATATYPES = new Set(['ome_zarr', 'zarr', 'directory']);

// ---------------------------------------------------------------- command

/** The Cheetah command: `fairio galaxy-run` with the inputs JSON and the output paths, nothing else. */
export function toolCommand(tool: GalaxyTool): string {
  const d = tool.description;
  const lines = ['fairio galaxy-run', `--tool '${d.id}'`, "--inputs '$inputs'", '--workers "\\${GALAXY_SLOTS:-1}"'];
  for (const o of d.outputs) {
    const name = galaxyName(o.name);
    lines.push(`--output '${o.name}=$${name}'`);
    if (DIRECTORY_DATATYPES.has(outputDatatype(tool, o))) lines.push(`--output-dir '${o.name}=$${name}.extra_files_path'`);
  }
  lines.push(`--output '${CRATE_OUTPUT}=$${CRATE_OUTPUT}'`);
  return `\n${lines.join('\n    ')}\n`;
}

// ---------------------------------------------------------------- inputs

/** The node parameters the form offers (all but the tool's `omit` list). */
export function formParameters(tool: GalaxyTool): ParameterSpec[] {
  return tool.description.parameters.filter((p) => !tool.omit?.includes(p.name));
}

function addParameter(parent: XMLBuilder, spec: ParameterSpec): void {
  const help = spec.type === 'text' && spec.lines ? `${spec.help}; one per line` : spec.help;
  const attributes: Record<string, string> = { ...formNaming(spec), label: spec.label, help };
  let param: XMLBuilder;
  switch (spec.type) {
    case 'integer':
    case 'float':
      param = parent.ele('param', {
        ...attributes,
        type: spec.type,
        value: spec.default === undefined ? '' : String(spec.default),
        ...(spec.min !== undefined ? { min: String(spec.min) } : {}),
        ...(spec.max !== undefined ? { max: String(spec.max) } : {}),
        ...(spec.optional && spec.default === undefined ? { optional: 'true' } : {}),
      });
      return;
    case 'boolean':
      parent.ele('param', { ...attributes, type: 'boolean', checked: spec.default ? 'true' : 'false', truevalue: 'true', falsevalue: 'false' });
      return;
    case 'choice':
      param = parent.ele('param', { ...attributes, type: 'select', ...(spec.optional && spec.default === undefined ? { optional: 'true' } : {}) });
      for (const o of spec.options) param.ele('option', { value: o.value, ...(o.value === spec.default ? { selected: 'true' } : {}) }).txt(o.label);
      return;
    case 'text':
      // A list (one value per line) is a text area; the job turns each line into one option.
      param = parent.ele('param', { ...attributes, type: 'text', ...(spec.lines ? { area: 'true' } : {}), value: spec.default ?? '', ...(spec.optional && spec.default === undefined ? { optional: 'true' } : {}) });
      if (spec.pattern) param.ele('validator', { type: 'regex', message: `must match ${spec.pattern}` }).txt(`^(?:${spec.pattern})$`);
      // Values go to fairio through the inputs JSON and an argument vector, never through a shell.
      param.ele('sanitizer', { sanitize: 'false' });
      return;
  }
}

function addDataInput(parent: XMLBuilder, tool: GalaxyTool, spec: DataSpec): void {
  const name = galaxyName(spec.name);
  const formats = inputDatatypes(tool, spec).join(',');
  const source = inputSource(spec);
  const dataAttributes = (n?: string) => ({
    ...(n ? { name: n } : spec.positional ? { name } : formNaming(spec)),
    type: 'data',
    format: formats,
    ...(spec.multiple ? { multiple: 'true' } : {}),
    ...(spec.optional ? { optional: 'true' } : {}),
    label: spec.label,
    help: spec.help,
  });
  if (source === 'dataset') {
    parent.ele('param', dataAttributes());
    return;
  }
  const conditional = parent.ele('conditional', { name });
  const select = conditional.ele('param', { name: 'source', type: 'select', label: `${spec.label} from` });
  select.ele('option', { value: 'dataset', selected: 'true' }).txt('a dataset in the history');
  select.ele('option', { value: source === 'dataset-or-text' ? 'text' : 'url' }).txt(source === 'dataset-or-text' ? 'text typed or pasted here' : 'a URL (http or https)');
  conditional.ele('when', { value: 'dataset' }).ele('param', dataAttributes('file'));
  const when = conditional.ele('when', { value: source === 'dataset-or-text' ? 'text' : 'url' });
  if (source === 'dataset-or-text') {
    const text = when.ele('param', { name: 'text', type: 'text', area: 'true', label: spec.label, help: spec.help, value: '' });
    text.ele('validator', { type: 'empty_field', message: `Type the ${spec.label.toLowerCase()}` });
    text.ele('sanitizer', { sanitize: 'false' });
  } else {
    const url = when.ele('param', { name: 'url', type: 'text', label: `${spec.label} URL`, help: 'http(s) URL of a bioimage.io model: its rdf.yaml / bioimageio.yaml or a zipped package', value: '' });
    url.ele('validator', { type: 'regex', message: 'must be an http or https URL' }).txt('^https?://\\S+$');
    url.ele('sanitizer', { sanitize: 'false' });
  }
}

// ---------------------------------------------------------------- tests

function addTestValue(test: XMLBuilder, path: string[], value: TestValue): void {
  if (path.length > 1) {
    const [head, ...rest] = path;
    // Consecutive values of one conditional or section share one element.
    const last = test.node.lastChild ? test.last() : undefined;
    const lastName = last?.node.nodeName === 'conditional' ? (last.node as unknown as { getAttribute(n: string): string | null }).getAttribute('name') : null;
    const owner = last && lastName === head ? last : test.ele('conditional', { name: head });
    addTestValue(owner, rest, value);
    return;
  }
  const name = path[0];
  if (typeof value === 'string') test.ele('param', { name, value });
  else if ('file' in value) test.ele('param', { name, value: value.file, ftype: value.ftype });
  else test.ele('param', { name, value: value.files.join(','), ftype: value.ftype });
}

function addAssertions(parent: XMLBuilder, e: TestExpectation): void {
  const assertions = parent.ele('assert_contents');
  for (const text of e.hasText ?? []) assertions.ele('has_text', { text });
  if (e.hasLine) assertions.ele('has_line', { line: e.hasLine });
  for (const member of e.archiveMembers ?? []) assertions.ele('has_archive_member', { path: member });
}

function addTests(parent: XMLBuilder, tool: GalaxyTool): void {
  const tests = parent.ele('tests');
  const d = tool.description;
  for (const t of tool.tests) {
    const test = tests.ele('test', { expect_num_outputs: String(d.outputs.length + 1) });
    for (const [name, value] of Object.entries(t.params)) addTestValue(test, name.split('|'), value);
    for (const spec of d.outputs) {
      const e = t.outputs[spec.name];
      if (!e) continue;
      const output = test.ele('output', { name: galaxyName(spec.name), ftype: outputDatatype(tool, spec) });
      if (e.extraFile) addAssertions(output.ele('extra_files', { type: 'file', name: e.extraFile.name }), { hasText: e.extraFile.hasText });
      if (e.hasText || e.hasLine || e.archiveMembers) addAssertions(output, e);
    }
    addAssertions(test.ele('output', { name: CRATE_OUTPUT, ftype: 'zip' }), { archiveMembers: ['ro-crate-metadata\\.json', 'manifest-sha256\\.txt'] });
  }
}

// ---------------------------------------------------------------- the tool

/** The tool XML document, as text. */
export function toolXml(tool: GalaxyTool): string {
  const d = tool.description;
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const root = doc.ele('tool', { id: toolId(d), name: d.name, version: '@TOOL_VERSION@+galaxy@VERSION_SUFFIX@', profile: '@PROFILE@' });
  root.com(` Generated by @fairio/galaxy-tools from the "${d.id}" description; do not edit: run npm run generate -w galaxy-tools `);
  root.ele('description').txt(shortDescription(d.summary));
  root.ele('macros').ele('import').txt('macros.xml');
  if (d.edam) {
    const topics = root.ele('edam_topics');
    for (const t of d.edam.topics) topics.ele('edam_topic').txt(t);
    const operations = root.ele('edam_operations');
    for (const o of d.edam.operations) operations.ele('edam_operation').txt(o);
  }
  if (tool.xrefs?.length) {
    const xrefs = root.ele('xrefs');
    for (const x of tool.xrefs) xrefs.ele('xref', { type: x.type }).txt(x.value);
  }
  root.ele('expand', { macro: 'creator' });
  root.ele('expand', { macro: 'requirements' });
  root.ele('version_command').txt('fairio --version');
  root.ele('command', { detect_errors: 'exit_code' }).dat(toolCommand(tool));
  root.ele('configfiles').ele('inputs', { name: 'inputs', data_style: 'staging_path_and_source_path' });

  const inputs = root.ele('inputs');
  for (const spec of d.inputs) addDataInput(inputs, tool, spec);
  for (const p of formParameters(tool)) addParameter(inputs, p);
  if (tool.fair) inputs.ele('expand', { macro: 'fair_section' });

  const outputs = root.ele('outputs');
  for (const spec of d.outputs) {
    outputs.ele('data', { name: galaxyName(spec.name), format: outputDatatype(tool, spec), label: `\${tool.name} on \${on_string}: ${spec.label}` });
  }
  outputs.ele('data', { name: CRATE_OUTPUT, format: 'zip', label: '${tool.name} on ${on_string}: RO-Crate' });

  addTests(root, tool);
  root.ele('help', { format: 'restructuredtext' }).dat(
    toolHelp(d, {
      inputs: d.inputs.map((s) => ({ label: s.label, help: s.help, formats: inputDatatypes(tool, s) })),
      outputs: [...d.outputs.map((s) => ({ label: s.label, help: s.help, format: outputDatatype(tool, s) })), { label: 'RO-Crate', help: 'the provenance of this run (see below).', format: 'zip' }],
    }),
  );
  const citations = root.ele('citations');
  for (const c of d.citations ?? []) {
    if (c.doi) citations.ele('citation', { type: 'doi' }).txt(c.doi);
    else citations.ele('citation', { type: 'bibtex' }).txt(bibtex(c.text));
  }
  citations.ele('expand', { macro: 'fairio_citation' });
  return `${doc.end({ prettyPrint: true, indent: '    ', width: 0 })}\n`;
}

/** Galaxy shows the description after the name: a short phrase, no trailing period. */
function shortDescription(summary: string): string {
  const first = summary.split(/[:;(]/)[0].trim();
  const text = first.length > 80 ? `${first.slice(0, 77)}…` : first;
  // "Mask of …" reads "Threshold: mask of …"; "OME-Zarr …" keeps its capitals.
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function bibtex(text: string): string {
  const key = text.replace(/[^A-Za-z0-9]/g, '').slice(0, 24) || 'citation';
  return `@misc{${key}, title = {${text.replace(/[{}]/g, '')}}}`;
}
