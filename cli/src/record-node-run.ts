/**
 * Every node run from the command line leaves a crate: the model-runner's
 * run record becomes a Process Run Crate action in the output folder (and a
 * FAIR Image Object crate inside each OME-Zarr output), for failed runs too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordRun } from '@fairio/provenance';
import type { RunRecord } from '@fairio/model-runner';
import { checkFairOptions, type FairCliOptions } from './commands/crate.js';
import type { Invocation } from './node-command.js';

export async function recordNodeRun(record: RunRecord, { outputs, options }: Invocation): Promise<void> {
  const fair = options as FairCliOptions;
  if (fair.crate === false) return;
  const requested = Object.values(outputs);
  if (requested.length === 0 || !fs.existsSync(path.dirname(path.resolve(requested[0])))) return; // nowhere to write a crate
  const { agent, ...image } = checkFairOptions(fair);
  const written = record.outputs.map((o) => o.path);
  const omeZarrOutputs = written.filter((p) => fs.existsSync(path.join(p, 'zarr.json')) || fs.existsSync(path.join(p, '.zattrs')));
  await recordRun(
    {
      name: `${record.node.name}: ${record.inputs.map((i) => path.basename(i.path)).join(', ')}`,
      tool: record.node.id,
      engines: record.software.filter((s) => s.name !== 'fairio' && s.name !== 'Node.js'),
      inputs: record.inputs.map((i) => ({ path: i.path, name: `${i.name}: ${path.basename(i.path)}` })),
      parameters: record.parameters.map((p) => ({ name: p.name, value: p.value })),
      outputs: written.map((p) => ({ path: p })),
      agent,
      startTime: new Date(record.startTime),
      endTime: new Date(record.endTime),
      ...(record.status === 'failed' ? { error: record.error?.message ?? 'failed' } : {}),
    },
    {
      crateDir: path.dirname(path.resolve(requested[0])),
      images: Object.fromEntries(omeZarrOutputs.map((p) => [p, image])),
      crate: { license: image.license },
    },
  );
}
