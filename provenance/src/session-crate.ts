/**
 * A recorded notebook session as a Workflow Run Crate and Provenance Run
 * Crate (0.5): the notebook (copied into the crate) is the workflow, the
 * session its run (`CreateAction`, instrument: the notebook), each executed
 * cell a step, in the order the cells ran, whose tool is the code that ran
 * (`SoftwareSourceCode`) and whose run carries the kernel, execution count,
 * times, status, error and output digests; JupyterLab is the engine
 * (`OrganizeAction`), with the extensions, kernels and Python packages as
 * `SoftwareApplication`s. The fairio runs the session made are included from
 * the crates they wrote (copied into `fairio-runs/`): their actions, with
 * the files they read and wrote by checksum, linked to the cell during which
 * they ran. Same record and files in, same bytes out. No I/O: JupyterLab
 * writes the files through the contents API.
 */
import { FairioError } from '@fairio/ngff/browser';
import { CrateBuilder, hasType, idsOf, NO_LICENSE, ref, type CrateJson, type Entity, type License, type Ref } from './builder.js';
import { addData, contentId, pathToId } from './data-entity.js';
import { addParameter } from './process-run.js';
import type { CellExecution, FairioRunCrate, RecordedKernel, SessionRecord } from './session-record.js';
import { sha256Hex } from './sha256.js';
import { softwareId, type Software } from './software.js';
import { METADATA_FILE } from './vocabulary.js';
import type { ComputerLanguage, WorkflowDefinition, WorkflowStep } from './workflow.js';
import { addWorkflowRun, type StepRun } from './workflow-run.js';

export interface SessionCrateOptions {
  /** The notebook's bytes, as copied into the crate (saved just before export). */
  notebook: Uint8Array;
  /** Licence of the crate's content (SPDX id or URL); default: a statement that none was declared. */
  license?: License;
  /** When the crate is made: its `datePublished`, and the session's end if recording has not stopped (the export ends what it describes). */
  exportTime: Date;
}

export interface CrateFile {
  /** Path inside the crate folder, `/`-separated. */
  path: string;
  data: Uint8Array;
}

export interface SessionCrate {
  /** Every file of the crate folder, `ro-crate-metadata.json` included. */
  files: CrateFile[];
  metadata: CrateJson;
}

/** The folder a run crate is copied to inside the session crate. */
export const RUN_CRATES_FOLDER = 'fairio-runs';

const ACTIVE = 'http://schema.org/ActiveActionStatus';
const JUPYTER_KERNELS = 'https://github.com/jupyter/jupyter/wiki/Jupyter-kernels';
const LANGUAGE_HOMES: Record<string, string> = { python: 'https://www.python.org/', r: 'https://www.r-project.org/', julia: 'https://julialang.org/' };
const KERNEL_HOMES: Record<string, string> = { ipython: 'https://ipython.org/', irkernel: 'https://irkernel.github.io/', ijulia: 'https://julialang.github.io/IJulia.jl/' };
/** fairio's clocks (kernel message dates, run crates) are milliseconds apart; a run this close to a cell's bounds ran inside it. */
const CLOCK_SLACK_MS = 1000;

/**
 * The execution a fairio run happened in: one whose time (give or take the
 * slack) contains the run's, and of those the one that started last. A short
 * run in a cell started right after another would otherwise also fit the
 * earlier cell's window and be credited to it (the slack reaches past its end).
 */
function cellOfRun<E extends { startTime: string; endTime?: string }>(executions: E[], run: { start: number; end: number }, last: number): E | undefined {
  let found: E | undefined;
  for (const e of executions) {
    const start = time(e.startTime);
    const contains = start - CLOCK_SLACK_MS <= run.start && run.end <= (e.endTime === undefined ? last : time(e.endTime)) + CLOCK_SLACK_MS;
    if (contains && (!found || start > time(found.startTime))) found = e;
  }
  return found;
}

const dirname = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const slug = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'root';

/** `to` relative to the folder `from` (both contents API paths). */
function relativePath(from: string, to: string): string {
  const a = from ? from.split('/') : [];
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

/** Resolve a crate-relative `@id` against the crate's folder (contents API path); undefined when it leaves the server root. */
function resolvePath(folder: string, id: string): string | undefined {
  const parts = folder ? folder.split('/') : [];
  for (const part of decodeURIComponent(id.replace(/\/$/, '')).split('/')) {
    if (part === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

function language(kernel: RecordedKernel | undefined): ComputerLanguage {
  const name = kernel?.language.name ?? 'unknown';
  const version = kernel?.language.version;
  const display = name === 'python' ? 'Python' : name;
  return { id: `#language-${slug(name)}${version ? `-${slug(version)}` : ''}`, name: display, url: LANGUAGE_HOMES[name.toLowerCase()] ?? JUPYTER_KERNELS, ...(version ? { version } : {}) };
}

function pythonPackage(p: { name: string; version: string }): Software {
  const url = `https://pypi.org/project/${encodeURIComponent(p.name)}/${encodeURIComponent(p.version)}/`;
  return { name: p.name, version: p.version, url, id: url };
}

function kernelSoftware(kernel: RecordedKernel): Software {
  const impl = kernel.implementation;
  const lang = kernel.language;
  const requires: Software[] = [];
  if (lang.version) requires.push({ name: language(kernel).name, version: lang.version, url: language(kernel).url, id: `${language(kernel).url.replace(/\/?$/, '/')}#v${lang.version}` });
  requires.push(...[...(kernel.pythonPackages ?? [])].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0)).map(pythonPackage));
  const what = kernel.displayName ?? kernel.name;
  return {
    name: `Jupyter kernel ${what}`,
    version: impl?.version ?? lang.version ?? 'unknown',
    url: (impl && KERNEL_HOMES[impl.name.toLowerCase()]) ?? JUPYTER_KERNELS,
    id: `#kernel-${slug(kernel.name)}-${slug(kernel.id)}`,
    description: `Kernel spec "${kernel.name}"${impl ? `, implemented by ${impl.name} ${impl.version}` : ''}, language ${lang.name}${lang.version ? ` ${lang.version}` : ''}${kernel.packagesUnavailable ? `; its packages are not listed: ${kernel.packagesUnavailable}` : ''}`,
    requires,
  };
}

function jupyterLabSoftware(record: SessionRecord): Software {
  const version = record.environment.jupyterlab.version;
  const extensions = [...record.environment.extensions]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e): Software => {
      const url = `https://www.npmjs.com/package/${e.name}/v/${encodeURIComponent(e.version)}`;
      return { name: e.name, version: e.version, url, id: url, description: 'JupyterLab extension' };
    });
  return { name: 'JupyterLab', version, url: 'https://jupyter.org/', id: `https://pypi.org/project/jupyterlab/${encodeURIComponent(version)}/`, requires: [...extensions, ...record.kernels.map(kernelSoftware)] };
}

function label(e: CellExecution): string {
  const count = e.executionCount !== undefined ? `In [${e.executionCount}]` : 'In [ ]';
  if (e.origin === 'other-client') return `${count}, sent by another client of the kernel`;
  return e.cellIndex !== undefined ? `${count}, cell ${e.cellIndex + 1}` : count;
}

function codeTool(e: CellExecution, notebookId: string, lang: ComputerLanguage): WorkflowStep['tool'] {
  const sha256 = sha256Hex(e.code);
  const firstLine = e.code.split('\n').find((l) => l.trim()) ?? '';
  return {
    name: `code "${firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine}"`,
    version: `sha256 ${sha256.slice(0, 12)}`,
    url: notebookId,
    id: `${notebookId}#code-${sha256.slice(0, 16)}`,
    inputs: [],
    outputs: [],
    code: { text: e.code, sha256, programmingLanguage: lang.id },
  };
}

/** The actions of a run crate and the window they ran in. */
interface RunAction {
  entity: Entity;
  start: number;
  end: number;
}

function parseRunCrate(run: FairioRunCrate): CrateJson {
  let json: CrateJson;
  try {
    json = JSON.parse(run.text) as CrateJson;
  } catch (error) {
    throw new FairioError('INVALID_JSON', `not JSON: ${(error as Error).message}`, { path: run.path, cause: error });
  }
  if (!json || !Array.isArray(json['@graph'])) throw new FairioError('INVALID_METADATA', 'has no @graph: not an RO-Crate', { path: run.path });
  return json;
}

/**
 * Copy a fairio run's action into the session crate: its software, agent,
 * parameters, and its data by checksum (as data outside the crate, named by
 * their path from the notebook's folder). Returns the data it read and wrote.
 */
function copyRunAction(builder: CrateBuilder, graph: Map<string, Entity>, action: Entity, runFolder: string, notebookFolder: string, crateFileId: string): { object: Ref[]; result: Ref[] } {
  const copyEntity = (id: string, seen = new Set<string>()): Ref | undefined => {
    const entity = graph.get(id);
    if (!entity || seen.has(id)) return undefined;
    seen.add(id);
    const copy: Entity = { ...entity };
    for (const key of ['softwareRequirements', 'affiliation']) {
      const targets = idsOf(entity[key]).map((t) => copyEntity(t, seen)).filter((r): r is Ref => r !== undefined);
      if (targets.length) copy[key] = targets;
      else delete copy[key];
    }
    builder.putIfAbsent(copy);
    return ref(id);
  };
  const copyData = (id: string): Ref | undefined => {
    const entity = graph.get(id);
    if (!entity) return undefined;
    if (hasType(entity, 'PropertyValue')) return copyEntity(id);
    const kind = hasType(entity, 'Dataset') ? 'folder' : hasType(entity, 'File') ? 'file' : undefined;
    if (!kind || typeof entity.sha256 !== 'string') return undefined;
    // Data inside the run's crate folder has a relative @id; data outside it is already named by content.
    const where = id.startsWith('#') ? undefined : resolvePath(runFolder, id);
    const entityOut: Entity = { '@id': contentId(kind, entity.sha256), '@type': entity['@type'], name: where !== undefined ? relativePath(notebookFolder, where) : entity.name ?? id, sha256: entity.sha256 };
    for (const key of ['contentSize', 'encodingFormat', 'description']) if (entity[key] !== undefined) entityOut[key] = entity[key];
    return addData(builder, { ref: ref(entityOut['@id']), entity: entityOut, manifest: [], inside: false, absolute: where ?? '', kind });
  };
  const object = idsOf(action.object).map(copyData).filter((r): r is Ref => r !== undefined);
  const result = idsOf(action.result).map(copyData).filter((r): r is Ref => r !== undefined);
  const copy: Entity = { '@id': action['@id'], '@type': action['@type'], name: action.name ?? action['@id'], subjectOf: ref(crateFileId) };
  for (const key of ['description', 'startTime', 'endTime', 'actionStatus', 'error']) if (action[key] !== undefined) copy[key] = action[key];
  const instrument = idsOf(action.instrument).map((id) => copyEntity(id)).filter((r): r is Ref => r !== undefined);
  const agent = idsOf(action.agent).map((id) => copyEntity(id)).filter((r): r is Ref => r !== undefined);
  if (instrument.length) copy.instrument = instrument;
  if (agent.length) copy.agent = agent;
  if (object.length) copy.object = object;
  if (result.length) copy.result = result;
  builder.putIfAbsent(copy);
  builder.addToRoot('mentions', copy['@id']);
  return { object, result };
}

const time = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : Number.NaN);

/** Build the crate of a recorded session. Throws INVALID_METADATA for a record that cannot be read (see `readSessionRecord`). */
export function sessionCrate(record: SessionRecord, options: SessionCrateOptions): SessionCrate {
  const notebookPath = record.notebook.path;
  const notebookName = basename(notebookPath);
  const notebookFolder = dirname(notebookPath);
  const notebookId = pathToId(notebookName, false);
  const kernels = new Map(record.kernels.map((k) => [k.id, k]));
  const lang = language(record.kernels[0]);
  const endTime = record.endTime ? new Date(record.endTime) : options.exportTime;
  const executions = [...record.executions].sort((a, b) => time(a.startTime) - time(b.startTime) || (a.id < b.id ? -1 : 1));
  const engine = jupyterLabSoftware(record);

  const builder = CrateBuilder.create({
    name: `Notebook session: ${notebookPath}`,
    description: `The cells of ${notebookPath} as they ran in JupyterLab ${engine.version} between ${record.startTime} and ${endTime.toISOString()} (${executions.length} executions${record.pauses.length ? `; recording paused ${record.pauses.length} time(s)` : ''}), recorded by jupyterlab-fairio, with the fairio runs the session made.`,
    license: options.license ?? NO_LICENSE,
    datePublished: options.exportTime.toISOString().slice(0, 10),
  });
  const files: CrateFile[] = [{ path: notebookName, data: options.notebook }];
  addData(builder, {
    ref: ref(notebookId),
    entity: { '@id': notebookId, '@type': 'File', name: notebookName, encodingFormat: 'application/x-ipynb+json', contentSize: String(options.notebook.length), sha256: sha256Hex(options.notebook) },
    manifest: [{ path: notebookName, sha256: sha256Hex(options.notebook) }],
    inside: true,
    absolute: notebookPath,
    kind: 'file',
  });

  // The fairio runs: their crates copied in, their actions in this session's time (the kernel's clock) included.
  const first = Math.min(time(record.startTime), ...executions.map((e) => time(e.startTime)));
  const last = Math.max(endTime.getTime(), ...executions.map((e) => time(e.endTime ?? e.startTime)));
  const perExecution = new Map<string, { object: Ref[]; result: Ref[] }>();
  const seenCrates = new Set<string>();
  for (const run of [...record.fairioRuns].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (seenCrates.has(run.path)) continue;
    seenCrates.add(run.path);
    const json = parseRunCrate(run);
    const runFolder = dirname(run.path);
    const copyPath = `${RUN_CRATES_FOLDER}/${slug(relativePath(notebookFolder, runFolder))}/${METADATA_FILE}`;
    const data = new TextEncoder().encode(run.text);
    files.push({ path: copyPath, data });
    const crateFileId = pathToId(copyPath, false);
    addData(builder, {
      ref: ref(crateFileId),
      entity: { '@id': crateFileId, '@type': 'File', name: `RO-Crate of the fairio runs in ${relativePath(notebookFolder, runFolder)}`, description: `A copy of ${run.path} as the session read it`, encodingFormat: 'application/ld+json', contentSize: String(data.length), sha256: sha256Hex(data) },
      manifest: [{ path: copyPath, sha256: sha256Hex(data) }],
      inside: true,
      absolute: run.path,
      kind: 'file',
    });
    const graph = new Map(json['@graph'].map((e) => [e['@id'], e]));
    const actions: RunAction[] = json['@graph']
      .filter((e) => hasType(e, 'CreateAction') || hasType(e, 'UpdateAction'))
      .map((e) => ({ entity: e, start: time(e.startTime), end: time(e.endTime ?? e.startTime) }))
      .filter((a) => a.start >= first - CLOCK_SLACK_MS && a.start <= last + CLOCK_SLACK_MS)
      .sort((a, b) => a.start - b.start || (a.entity['@id'] < b.entity['@id'] ? -1 : 1));
    for (const a of actions) {
      const data = copyRunAction(builder, graph, a.entity, runFolder, notebookFolder, crateFileId);
      const cell = cellOfRun(executions, a, last);
      if (!cell) continue;
      const bucket = perExecution.get(cell.id) ?? { object: [], result: [] };
      bucket.object.push(...data.object);
      bucket.result.push(...data.result);
      perExecution.set(cell.id, bucket);
    }
  }

  // Each execution: a step of the as-run notebook, its code the tool.
  const runId = `#session-${slug(record.id)}`;
  const steps: WorkflowStep[] = [];
  const stepRuns: StepRun[] = [];
  executions.forEach((e, i) => {
    const stepName = label(e);
    const id = `${i + 1}`;
    steps.push({ id, name: stepName, position: i, tool: codeTool(e, notebookId, language(kernels.get(e.kernel))) });
    const execRun = `${runId}-step-${id}`;
    const results: Ref[] = [];
    if (e.executionCount !== undefined) results.push(addParameter(builder, execRun, { name: 'execution_count', value: e.executionCount, description: 'The kernel\'s execution counter for this run of the cell ("In [n]")' }));
    e.outputs.forEach((o, n) => {
      const oid = `${execRun}-output-${n + 1}`;
      builder.put({ '@id': oid, '@type': 'File', name: `${stepName}: output ${n + 1} (${o.outputType}${o.name ? ` ${o.name}` : ''}, ${o.mimeType})`, encodingFormat: o.mimeType, contentSize: String(o.size), sha256: o.sha256 });
      results.push(ref(oid));
    });
    const fromRuns = perExecution.get(e.id);
    const kernel = kernels.get(e.kernel)!;
    const error = e.status === 'error' ? `${e.error?.name ?? 'Error'}: ${e.error?.value ?? ''}`.trim() : e.status === 'aborted' ? 'not run: the kernel aborted it (an earlier cell failed or the kernel was interrupted)' : undefined;
    stepRuns.push({
      step: id,
      inputs: [],
      outputs: [],
      startTime: new Date(e.startTime),
      ...(e.endTime ? { endTime: new Date(e.endTime) } : {}),
      ...(error !== undefined ? { error } : {}),
      extras: {
        instrument: [ref(softwareId(kernelSoftware(kernel)))],
        object: fromRuns?.object ?? [],
        result: [...results, ...(fromRuns?.result ?? [])],
        ...(e.status === 'running' ? { actionStatus: ACTIVE } : {}),
      },
    });
  });

  const workflow: WorkflowDefinition = {
    file: notebookName,
    name: notebookName,
    description: `Jupyter notebook ${notebookPath}; its steps are the cells in the order they ran in the recorded session.`,
    language: lang,
    inputs: [],
    outputs: [],
    steps,
  };
  const allObjects = [...perExecution.values()].flatMap((b) => b.object);
  const allResults = [...perExecution.values()].flatMap((b) => b.result);
  addWorkflowRun(builder, {
    id: runId,
    name: `Session of ${notebookName}`,
    workflow,
    engine,
    inputs: [],
    outputs: [],
    steps: stepRuns,
    ...(record.agent ? { agent: record.agent } : {}),
    startTime: new Date(record.startTime),
    endTime,
    extras: { object: dedupe(allObjects), result: dedupe(allResults) },
  });
  const metadata = builder.toJSON();
  files.push({ path: METADATA_FILE, data: new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`) });
  return { files, metadata };
}

function dedupe(refs: Ref[]): Ref[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(r['@id']) && seen.add(r['@id']));
}
