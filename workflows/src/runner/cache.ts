/**
 * What makes a re-run cheap: each job's cache key is the sha256 of its tool
 * (node id and version), the content digests of its inputs and its checked
 * parameters. The output folder keeps, in `.fairio-workflow/state.json`, the
 * key each job last ran with, the outputs it wrote and their digests, and the
 * digest of every file read or written (by size and modification time, as
 * provenance's `DigestCache` trusts them), so a second run hashes only what
 * changed and the crate it writes reads no file twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUrl } from '@fairio/ngff';
import { DigestCache, folderDigest, listFiles, sha256Of } from '@fairio/provenance';
import type { ParameterValue } from '@fairio/model-runner';

export const STATE_DIR = '.fairio-workflow';
const STATE_FILE = 'state.json';
const STATE_VERSION = 1;

interface FileRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** A job's last successful run in this output folder. */
export interface JobRecord {
  key: string;
  /** Output paths by output name (absolute). */
  outputs: Record<string, string>;
  /** Content digest of each output when it was written. */
  digests: Record<string, string>;
  startTime: string;
  endTime: string;
  /** Engines the node reported (ONNX Runtime, ImageJ…). */
  software?: { name: string; version: string; url?: string }[];
  summary?: Record<string, unknown>;
}

interface StateFile {
  version: number;
  jobs: Record<string, JobRecord>;
  files: Record<string, FileRecord>;
}

/** Partial outputs of fairio's atomic writers and crate locks are never content. */
const ignored = (relative: string) => relative.split('/').some((part) => /^\..+\.partial-[0-9a-f]+(\.old)?$/.test(part) || part.endsWith('.lock'));

export class RunState {
  private readonly state: StateFile;
  /** Shared with the crate recording, so nothing is hashed twice. */
  readonly digests = new DigestCache();

  private constructor(
    readonly outdir: string,
    state: StateFile,
  ) {
    this.state = state;
  }

  /** The state of `outdir` (empty when it has none, or one from another fairio version). */
  static load(outdir: string): RunState {
    const file = path.join(outdir, STATE_DIR, STATE_FILE);
    let state: StateFile = { version: STATE_VERSION, jobs: {}, files: {} };
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile;
      if (parsed.version === STATE_VERSION && parsed.jobs && parsed.files) state = parsed;
    } catch {
      // no state yet, or unreadable: everything runs
    }
    return new RunState(outdir, state);
  }

  save(): void {
    const dir = path.join(this.outdir, STATE_DIR);
    fs.mkdirSync(dir, { recursive: true });
    const temp = path.join(dir, `.${STATE_FILE}.tmp-${process.pid}`);
    fs.writeFileSync(temp, JSON.stringify(this.state));
    fs.renameSync(temp, path.join(dir, STATE_FILE));
  }

  job(slot: string): JobRecord | undefined {
    return this.state.jobs[slot];
  }

  setJob(slot: string, record: JobRecord | undefined): void {
    if (record) this.state.jobs[slot] = record;
    else delete this.state.jobs[slot];
  }

  private async fileDigest(absolute: string): Promise<string> {
    const stat = fs.statSync(absolute);
    const known = this.state.files[absolute];
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) {
      this.digests.remember(absolute, { sha256: known.sha256, size: known.size });
      return known.sha256;
    }
    const digest = await this.digests.file(absolute, path.basename(absolute));
    this.state.files[absolute] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: digest.sha256 };
    return digest.sha256;
  }

  /** sha256 of a file, or of a folder as provenance digests folders (the same digest its crate records). */
  async digest(target: string): Promise<string> {
    if (isUrl(target)) return sha256Of(`url:${target}`);
    const absolute = path.resolve(target);
    if (!fs.statSync(absolute).isDirectory()) return this.fileDigest(absolute);
    const entries: { path: string; sha256: string }[] = [];
    for (const relative of await listFiles(absolute, { exclude: ignored })) {
      entries.push({ path: relative, sha256: await this.fileDigest(path.join(absolute, ...relative.split('/'))) });
    }
    return folderDigest(entries);
  }

  /** Whether a job's recorded outputs are still there, unchanged. */
  async outputsIntact(record: JobRecord): Promise<boolean> {
    for (const [name, file] of Object.entries(record.outputs)) {
      if (!fs.existsSync(file)) return false;
      if ((await this.digest(file)) !== record.digests[name]) return false;
    }
    return true;
  }

  /** Forget file digests under a path about to be rewritten. */
  forget(target: string): void {
    const absolute = path.resolve(target);
    for (const key of Object.keys(this.state.files)) if (key === absolute || key.startsWith(`${absolute}${path.sep}`)) delete this.state.files[key];
  }
}

/** The cache key of one job. */
export function jobKey(tool: { id: string; version: string }, inputs: Record<string, string | string[]>, parameters: Record<string, ParameterValue | undefined>): string {
  const sortedParameters = Object.fromEntries(
    Object.keys(parameters)
      .sort()
      .filter((k) => parameters[k] !== undefined)
      .map((k) => [k, parameters[k]]),
  );
  const sortedInputs = Object.fromEntries(Object.keys(inputs).sort().map((k) => [k, inputs[k]]));
  return sha256Of(JSON.stringify({ tool: tool.id, version: tool.version, inputs: sortedInputs, parameters: sortedParameters }));
}
