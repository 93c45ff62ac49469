/**
 * What the JupyterLab recorder persists about a notebook session while it
 * records: the executed cells (code, kernel, execution count, times, status,
 * digests of the outputs), the kernels and their environment, and the crates
 * of the fairio runs the session made. `sessionCrate` turns one into a
 * Workflow Run / Provenance Run Crate. Records carry a `version`, and
 * `readSessionRecord` upgrades older ones, so that records stored by an
 * earlier recorder (in the browser's IndexedDB) stay readable. No I/O.
 */
import { FairioError } from '@fairio/ngff/browser';
import type { Person } from './agents.js';
import { sha256Hex } from './sha256.js';

/** The version `readSessionRecord` returns; increase it (and add an upgrade below) when the shape changes. */
export const SESSION_RECORD_VERSION = 1;

export interface KernelLanguage {
  /** As the kernel names it (`language_info.name`: "python", "R"…). */
  name: string;
  version?: string;
}

/** A kernel the session ran cells on (one entry per kernel process). */
export interface RecordedKernel {
  /** The kernel's id on the Jupyter server; executions refer to it. */
  id: string;
  /** Kernel spec name ("python3"). */
  name: string;
  displayName?: string;
  /** What implements the kernel (`implementation` / `implementation_version` of kernel_info: "ipython", "8.20.0"). */
  implementation?: { name: string; version: string };
  language: KernelLanguage;
  /** Distributions installed where the kernel runs (Python kernels: importlib.metadata), when they could be asked for. */
  pythonPackages?: { name: string; version: string }[];
  /** Why `pythonPackages` is missing (not a Python kernel, the request failed…). */
  packagesUnavailable?: string;
}

export type OutputType = 'stream' | 'display_data' | 'execute_result' | 'update_display_data' | 'error';

/** One representation of one output of a cell, by digest (the content itself stays in the notebook). */
export interface OutputDigest {
  outputType: OutputType;
  /** "stdout" / "stderr" for streams. */
  name?: string;
  mimeType: string;
  sha256: string;
  /** Bytes hashed: decoded for base64 binary types (image/png…), UTF-8 otherwise. */
  size: number;
}

export type ExecutionStatus = 'running' | 'ok' | 'error' | 'aborted';

/** One execution of a cell, from its `execute_request` to its `execute_reply`. */
export interface CellExecution {
  /** `msg_id` of the execute_request (unique, and the same in every client's view of it). */
  id: string;
  /** The notebook cell that ran, when it ran from this notebook. */
  cellId?: string;
  /** Its index in the notebook then (0-based). */
  cellIndex?: number;
  code: string;
  /** `RecordedKernel.id` of the kernel it ran on. */
  kernel: string;
  executionCount?: number;
  /** ISO 8601; the kernel's clock (message header dates) when known, which is the clock fairio runs on that machine use. */
  startTime: string;
  endTime?: string;
  status: ExecutionStatus;
  error?: { name: string; value: string; traceback?: string[] };
  outputs: OutputDigest[];
  /** Whether this notebook's panel ran it, or another client of the same kernel (seen on iopub only). */
  origin: 'notebook' | 'other-client';
}

/** The RO-Crate metadata a fairio run wrote, as read while the session recorded. */
export interface FairioRunCrate {
  /** Path of the `ro-crate-metadata.json` on the Jupyter server (contents API path, `/`-separated, no leading slash). */
  path: string;
  /** The file's text exactly as read, so that the export copies what the run wrote. */
  text: string;
  sha256: string;
  /** ISO 8601: when the recorder read it. */
  readAt: string;
}

export interface SessionEnvironment {
  jupyterlab: { version: string };
  /** JupyterLab extensions and their versions (this recorder's own included). */
  extensions: { name: string; version: string }[];
}

export interface SessionRecord {
  version: typeof SESSION_RECORD_VERSION;
  /** Unique per recording. */
  id: string;
  /** The notebook, as a contents API path. */
  notebook: { path: string };
  startTime: string;
  /** Set when recording stopped; absent while it records. */
  endTime?: string;
  /** Intervals in which the user paused recording (cells run then are not in the record). */
  pauses: { start: string; end?: string }[];
  agent?: Person;
  environment: SessionEnvironment;
  kernels: RecordedKernel[];
  executions: CellExecution[];
  fairioRuns: FairioRunCrate[];
}

/** A new, empty record. */
export function newSessionRecord(options: { id: string; notebook: string; startTime: Date; environment: SessionEnvironment; agent?: Person }): SessionRecord {
  return {
    version: SESSION_RECORD_VERSION,
    id: options.id,
    notebook: { path: options.notebook },
    startTime: options.startTime.toISOString(),
    pauses: [],
    ...(options.agent ? { agent: options.agent } : {}),
    environment: options.environment,
    kernels: [],
    executions: [],
    fairioRuns: [],
  };
}

/** Upgrades from version N to N + 1, applied in turn to records stored by older recorders. */
const UPGRADES: Record<number, (record: Record<string, unknown>) => Record<string, unknown>> = {};

function fail(message: string): never {
  throw new FairioError('INVALID_METADATA', `not a readable notebook session record: ${message}`);
}

function requireString(value: unknown, what: string): void {
  if (typeof value !== 'string' || value === '') fail(`${what} is missing or not text`);
}

function requireTime(value: unknown, what: string): void {
  requireString(value, what);
  if (Number.isNaN(Date.parse(value as string))) fail(`${what} "${String(value)}" is not a date and time`);
}

function requireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) fail(`${what} is not a list`);
  return value;
}

/**
 * A stored record (parsed JSON) as the current `SessionRecord`: older
 * versions upgraded, the fields the crate needs checked. Throws
 * INVALID_METADATA naming what is wrong (a record from a newer recorder says so).
 */
export function readSessionRecord(stored: unknown): SessionRecord {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) fail('it is not a JSON object');
  let record = stored as Record<string, unknown>;
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail(`its version ${JSON.stringify(version)} is not a record version`);
  if (version > SESSION_RECORD_VERSION) fail(`it was written by a newer recorder (record version ${version}; this one reads up to ${SESSION_RECORD_VERSION}): update jupyterlab-fairio`);
  for (let v = version; v < SESSION_RECORD_VERSION; v++) record = { ...UPGRADES[v](record), version: v + 1 };
  requireString(record.id, 'id');
  requireString((record.notebook as { path?: unknown } | undefined)?.path, 'notebook.path');
  requireTime(record.startTime, 'startTime');
  if (record.endTime !== undefined) requireTime(record.endTime, 'endTime');
  const environment = record.environment as SessionEnvironment | undefined;
  requireString(environment?.jupyterlab?.version, 'environment.jupyterlab.version');
  requireArray(environment?.extensions, 'environment.extensions');
  requireArray(record.pauses, 'pauses');
  const kernels = requireArray(record.kernels, 'kernels') as RecordedKernel[];
  kernels.forEach((k, i) => {
    requireString(k?.id, `kernels[${i}].id`);
    requireString(k?.name, `kernels[${i}].name`);
    requireString(k?.language?.name, `kernels[${i}].language.name`);
  });
  const known = new Set(kernels.map((k) => k.id));
  (requireArray(record.executions, 'executions') as CellExecution[]).forEach((e, i) => {
    requireString(e?.id, `executions[${i}].id`);
    if (typeof e.code !== 'string') fail(`executions[${i}].code is not text`);
    if (!known.has(e.kernel)) fail(`executions[${i}] ran on kernel "${String(e.kernel)}", which the record does not describe`);
    requireTime(e.startTime, `executions[${i}].startTime`);
    if (e.endTime !== undefined) requireTime(e.endTime, `executions[${i}].endTime`);
    if (!['running', 'ok', 'error', 'aborted'].includes(e.status)) fail(`executions[${i}].status "${String(e.status)}" is not running, ok, error or aborted`);
    requireArray(e.outputs, `executions[${i}].outputs`);
  });
  (requireArray(record.fairioRuns, 'fairioRuns') as FairioRunCrate[]).forEach((r, i) => {
    requireString(r?.path, `fairioRuns[${i}].path`);
    if (typeof r.text !== 'string') fail(`fairioRuns[${i}].text is not text`);
  });
  return record as unknown as SessionRecord;
}

/** A cell output as nbformat stores it and as iopub messages carry it (`content` plus `output_type`). */
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** JSON with object keys in sorted order, so that equal values hash equally whoever serialised them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Jupyter sends these as base64 text; everything else in a MIME bundle is text or JSON. */
function isBase64Type(mimeType: string): boolean {
  return (mimeType.startsWith('image/') && !mimeType.startsWith('image/svg')) || mimeType === 'application/pdf' || mimeType.startsWith('audio/') || mimeType.startsWith('video/');
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function digest(outputType: OutputType, mimeType: string, bytes: Uint8Array, name?: string): OutputDigest {
  return { outputType, ...(name ? { name } : {}), mimeType, sha256: sha256Hex(bytes), size: bytes.length };
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const joined = (value: unknown) => (Array.isArray(value) ? value.join('') : String(value ?? ''));

/**
 * Digests of a cell's outputs: one per stream output and per representation
 * of a rich output (so an image is hashed as the PNG bytes a reader would
 * save); an error as the UTF-8 of its traceback.
 */
export function digestOutputs(outputs: NotebookOutput[]): OutputDigest[] {
  const digests: OutputDigest[] = [];
  for (const output of outputs) {
    const type = output.output_type as OutputType;
    if (type === 'stream') digests.push(digest(type, 'text/plain', utf8(joined(output.text)), output.name));
    else if (type === 'error') digests.push(digest(type, 'text/plain', utf8([`${output.ename ?? ''}: ${output.evalue ?? ''}`, ...(output.traceback ?? [])].join('\n'))));
    else if (type === 'display_data' || type === 'execute_result' || type === 'update_display_data') {
      for (const mimeType of Object.keys(output.data ?? {}).sort()) {
        const value = output.data![mimeType];
        let bytes: Uint8Array;
        if (typeof value === 'string' || Array.isArray(value)) {
          const text = joined(value);
          bytes = isBase64Type(mimeType) ? base64Bytes(text) : utf8(text);
        } else bytes = utf8(canonicalJson(value));
        digests.push(digest(type, mimeType, bytes));
      }
    }
  }
  return digests;
}
