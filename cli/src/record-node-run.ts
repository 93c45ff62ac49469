/**
 * Every node run from the command line leaves a crate: the model-runner's
 * run record becomes a Process Run Crate action in the output folder (and a
 * FAIR Image Object crate inside each OME-Zarr output), for failed runs too.
 * A batch node's parts (the macro on each image) each get a Process Run
 * Crate of their own in their folder, which the run's crate lists among its
 * results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DigestCache, isOmeZarr, recordRun, type DataRef } from '@fairio/provenance';
import type { RunPart, RunRecord } from '@fairio/model-runner';
import type { FairCliOptions } from './fair-options.js';
import { checkFairOptions } from './record-command-run.js';
import type { Invocation } from './node-command.js';

const METADATA = 'ro-crate-metadata.json';

export async function recordNodeRun(record: RunRecord, { outputs, options }: Invocation): Promise<void> {
  const fair = options as FairCliOptions;
  if (fair.crate === false) return;
  const requested = Object.values(outputs);
  if (requested.length === 0 || !fs.existsSync(path.dirname(path.resolve(requested[0])))) return; // nowhere to write a crate
  const { agent, ...image } = checkFairOptions(fair);
  // Shared by all crates of this run, so a file described in a part's crate and in the run's is read once.
  const cache = new DigestCache();
  const common = {
    tool: record.node.id,
    engines: record.software.filter((s) => s.name !== 'fairio' && s.name !== 'Node.js'),
    parameters: record.parameters.map((p) => ({ name: p.name, value: p.value })),
    agent,
  };
  const writeRecord = (crateDir: string, run: { name: string; inputs: DataRef[]; outputs: DataRef[]; startTime: string; endTime: string; error?: string }, crate?: { name: string; description: string }) =>
    recordRun(
      { ...common, ...run, startTime: new Date(run.startTime), endTime: new Date(run.endTime) },
      {
        crateDir,
        cache,
        images: Object.fromEntries(run.outputs.filter((o) => fs.existsSync(o.path) && isOmeZarr(o.path)).map((o) => [o.path, image])),
        crate: { license: image.license, ...crate },
      },
    );

  // The parts first: the run's crate then hashes their crates with the rest of the output.
  const parts = (record.parts ?? []).filter((p) => fs.existsSync(p.folder));
  for (const part of parts) {
    await writeRecord(
      part.folder,
      {
        name: `${record.node.name}: ${part.name}`,
        inputs: part.inputs.map((i) => ({ path: i.path, name: `${i.name}: ${path.basename(i.path)}`, ...(i.text !== undefined ? { text: i.text } : {}) })),
        outputs: part.outputs.map((p) => ({ path: p })),
        startTime: part.startTime,
        endTime: part.endTime,
      },
      {
        name: `${record.node.name}: ${part.name}`,
        description: `How this folder was made: ${part.name}, one part of a fairio ${record.node.id} run whose other parts are in the sibling folders; the whole run is recorded in the crate of the folder that holds the output folder.`,
      },
    );
  }
  await writeRecord(path.dirname(path.resolve(requested[0])), {
    name: `${record.node.name}: ${record.inputs.map((i) => path.basename(i.path)).join(', ')}`,
    inputs: record.inputs.map((i) => ({ path: i.path, name: `${i.name}: ${path.basename(i.path)}` })),
    outputs: [...record.outputs.map((o) => ({ path: o.path })), ...parts.map(partFolder)],
    startTime: record.startTime,
    endTime: record.endTime,
    ...(record.status === 'failed' ? { error: record.error?.message ?? 'failed' } : {}),
  });
}

/** A part's folder as a result of the whole run, pointing at its own crate. */
function partFolder(part: RunPart): DataRef {
  return { path: part.folder, name: path.basename(part.folder), description: `${part.name}, with its own Process Run Crate (the ${METADATA} in this folder)` };
}
