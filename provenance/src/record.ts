/**
 * "Every invocation leaves a crate": `recordRun` is what a command calls
 * when it has finished, successfully or not. It hashes inputs and outputs
 * (each file read once), gives every OME-Zarr output its own FAIR Image
 * Object crate (when described), and records the run as a Process Run Crate
 * `CreateAction` in the crate of the output folder, merged under the folder's
 * lock with whatever other runs recorded there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NewCrateOptions } from './builder.js';
import { agentId, type Agent } from './agents.js';
import { ref } from './builder.js';
import { describeData, DigestCache, relativeToCrate } from './data-entities.js';
import type { DescribedData } from './data-entity.js';
import { isOmeZarr } from './encoding-format.js';
import { writeImageCrate, type ImageDescription } from './image-crate.js';
import type { LockOptions } from './lock.js';
import { addProcessRun, newRunId, type ProcessRun, type RunParameter } from './process-run.js';
import { fairioSoftware } from './fairio-software.js';
import type { Software } from './software.js';
import { updateCrate } from './update-crate.js';

export interface DataRef {
  path: string;
  /** Name for people (default: the file name). */
  name?: string;
  description?: string;
  /** The content itself, for a small program text (a macro) the crate should say in full, not only by checksum. */
  text?: string;
}

export interface RunRecord {
  id?: string;
  name: string;
  description?: string;
  /** The fairio command that ran ("convert"), or any other software. */
  tool: string | Software;
  /** Engines the tool drove besides Node.js (ONNX Runtime, ImageJ). */
  engines?: Software[];
  inputs: (string | DataRef)[];
  parameters?: RunParameter[];
  outputs: (string | DataRef)[];
  agent?: Agent;
  startTime: Date;
  /** Default: now. */
  endTime?: Date;
  /** Set when the run failed (an Error or a message). */
  error?: unknown;
}

export interface RecordOptions {
  /** Folder whose crate records the run (default: the folder of the first output, else the working directory). */
  crateDir?: string;
  cache?: DigestCache;
  /** FAIR descriptions of OME-Zarr outputs, by output path as given in `outputs`: each gets its own image crate. */
  images?: Record<string, ImageDescription>;
  /** Name, description and licence for the folder crate if it does not exist yet. */
  crate?: Partial<NewCrateOptions>;
  preview?: boolean;
  lock?: LockOptions;
}

export interface RecordedRun {
  crateDir: string;
  actionId: string;
  failed: boolean;
  /** OME-Zarr outputs that received their own crate. */
  imageCrates: string[];
}

const asRef = (d: string | DataRef): DataRef => (typeof d === 'string' ? { path: d } : d);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function describeAll(crateDir: string, refs: DataRef[], cache: DigestCache, what: 'input' | 'output'): Promise<DescribedData[]> {
  const out: DescribedData[] = [];
  for (const r of refs) {
    if (fs.existsSync(r.path)) {
      const described = await describeData(crateDir, r.path, { cache, name: r.name, description: r.description });
      if (r.text !== undefined && described.kind === 'file') described.entity.text = r.text;
      out.push(described);
    }
    else if (what === 'input') out.push(missingInput(r)); // say what the run was given, even if it was not there
    // a missing output is one a failed run did not produce: nothing to describe
  }
  return out;
}

function missingInput(r: DataRef): DescribedData {
  const name = r.name ?? path.basename(r.path);
  const id = `#missing-${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
  return {
    ref: ref(id),
    entity: { '@id': id, '@type': 'File', name, description: `${r.path} did not exist when the run started` },
    manifest: [],
    inside: false,
    absolute: path.resolve(r.path),
    kind: 'file',
  };
}

/** Record a finished run; see the module comment. */
export async function recordRun(run: RunRecord, options: RecordOptions = {}): Promise<RecordedRun> {
  const inputs = run.inputs.map(asRef);
  const outputs = run.outputs.map(asRef);
  const crateDir = path.resolve(options.crateDir ?? (outputs[0] ? path.dirname(path.resolve(outputs[0].path)) : process.cwd()));
  const cache = options.cache ?? new DigestCache();
  const actionId = run.id ?? newRunId();
  const base: Omit<ProcessRun, 'inputs' | 'outputs'> = {
    id: actionId,
    name: run.name,
    description: run.description,
    instrument: typeof run.tool === 'string' ? fairioSoftware({ command: run.tool, engines: run.engines }) : run.tool,
    parameters: run.parameters ?? [],
    agent: run.agent,
    startTime: run.startTime,
    endTime: run.endTime ?? new Date(),
    ...(run.error !== undefined ? { error: errorText(run.error) } : {}),
  };

  // FAIR Image Objects first: the folder crate then hashes their metadata along with the pixels.
  const imageCrates: string[] = [];
  for (const output of outputs) {
    const description = options.images?.[output.path];
    if (!description || !fs.existsSync(output.path) || !isOmeZarr(output.path)) continue;
    const imageInputs = await describeAll(output.path, inputs, cache, 'input');
    await writeImageCrate(output.path, description, { run: { ...base, inputs: imageInputs, outputs: [] }, cache, lock: options.lock, preview: options.preview });
    imageCrates.push(output.path);
  }

  const described = { inputs: await describeAll(crateDir, inputs, cache, 'input'), outputs: await describeAll(crateDir, outputs, cache, 'output') };
  await updateCrate(
    crateDir,
    (builder) => {
      addProcessRun(builder, { ...base, ...described });
      // Whoever runs tools into a folder is, absent anyone else, the author of its crate.
      if (run.agent && builder.root.author === undefined) builder.set(builder.rootId, { author: ref(agentId(run.agent)) });
      return {
        manifest: [...described.inputs, ...described.outputs].flatMap((d) => d.manifest),
        // Rewritten (or failed, hence removed) outputs inside the crate lose their old lines.
        replacePaths: outputs.map((o) => relativeToCrate(crateDir, path.resolve(o.path))).filter((p): p is string => p !== undefined),
      };
    },
    {
      create: {
        name: options.crate?.name ?? `fairio runs in ${path.basename(crateDir)}`,
        description: options.crate?.description ?? 'Provenance of the fairio runs whose outputs are in this folder: one action per run, with its software, inputs, parameters and outputs.',
        license: options.crate?.license,
        datePublished: options.crate?.datePublished,
      },
      lock: options.lock,
      preview: options.preview,
    },
  );
  return { crateDir, actionId, failed: run.error !== undefined, imageCrates };
}
