/**
 * Recording a workflow invocation from the files it read and wrote: each file
 * hashed once, the run merged into the crate of the folder that holds the
 * workflow file, under the crate lock (Node only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NewCrateOptions } from './builder.js';
import { ref } from './builder.js';
import { agentId } from './agents.js';
import { describeData, DigestCache } from './data-entities.js';
import { addData, type DescribedData } from './data-entity.js';
import { writeFileAtomic, type LockOptions } from './lock.js';
import type { ParameterValue } from './process-run.js';
import { updateCrate } from './update-crate.js';
import { addWorkflowRun, type Binding, type StepRun, type WorkflowRun } from './workflow-run.js';

/** A value bound to a parameter, by path (`path`) or plain value (`value`). */
export interface PathBinding {
  parameter: string;
  path?: string;
  value?: ParameterValue;
}

export interface WorkflowRunRecord extends Omit<WorkflowRun, 'inputs' | 'outputs' | 'steps'> {
  inputs: PathBinding[];
  outputs: PathBinding[];
  steps: (Omit<StepRun, 'inputs' | 'outputs'> & { inputs: PathBinding[]; outputs: PathBinding[] })[];
}

/**
 * Record a workflow invocation in the crate of `crateDir` (where its
 * workflow file, `workflow.file`, lives): a Provenance Run Crate (steps
 * included) unless `provenance: false`. Adds a README.md when the folder has
 * none. Hashes every file once, merges under the crate lock.
 */
export async function recordWorkflowRun(crateDir: string, run: WorkflowRunRecord, options: { provenance?: boolean; cache?: DigestCache; crate?: Partial<NewCrateOptions>; lock?: LockOptions; preview?: boolean } = {}): Promise<string> {
  const cache = options.cache ?? new DigestCache();
  const described = new Map<string, DescribedData>();
  const describe = async (bindings: PathBinding[]): Promise<Binding[]> => {
    const out: Binding[] = [];
    for (const b of bindings) {
      if (b.path === undefined) {
        out.push({ parameter: b.parameter, value: b.value });
        continue;
      }
      if (!fs.existsSync(b.path)) continue;
      const key = path.resolve(b.path);
      if (!described.has(key)) described.set(key, await describeData(crateDir, b.path, { cache }));
      out.push({ parameter: b.parameter, data: described.get(key)! });
    }
    return out;
  };
  const resolved: WorkflowRun = {
    ...run,
    inputs: await describe(run.inputs),
    outputs: await describe(run.outputs),
    steps: [],
  };
  for (const s of run.steps) resolved.steps.push({ ...s, inputs: await describe(s.inputs), outputs: await describe(s.outputs) });
  const workflowFile = run.workflow.file ? path.join(crateDir, run.workflow.file) : undefined;
  const workflowData = workflowFile && fs.existsSync(workflowFile) ? await describeData(crateDir, workflowFile, { cache }) : undefined;
  const readme = path.join(crateDir, 'README.md');
  if (!fs.existsSync(readme)) writeFileAtomic(readme, workflowRunReadme(run));
  const readmeData = await describeData(crateDir, readme, { cache });
  let actionId = '';
  await updateCrate(
    crateDir,
    (builder) => {
      if (workflowData) addData(builder, workflowData);
      addData(builder, { ...readmeData, entity: { ...readmeData.entity, about: ref(builder.rootId), encodingFormat: 'text/markdown' } });
      actionId = addWorkflowRun(builder, resolved, options);
      if (run.agent && builder.root.author === undefined) builder.set(builder.rootId, { author: ref(agentId(run.agent)) });
      return { manifest: [...described.values(), ...(workflowData ? [workflowData] : []), readmeData].flatMap((d) => d.manifest) };
    },
    {
      create: {
        name: options.crate?.name ?? `Run of ${run.workflow.name}`,
        description: options.crate?.description ?? `Provenance of a run of the workflow "${run.workflow.name}" by ${run.engine.name}.`,
        license: options.crate?.license ?? run.workflow.license,
      },
      lock: options.lock,
      preview: options.preview,
    },
  );
  return actionId;
}

function workflowRunReadme(run: WorkflowRunRecord): string {
  const failed = run.error !== undefined;
  return `# Run of ${run.workflow.name}\n\n${run.workflow.description ?? ''}\n\nRun by ${run.engine.name} ${run.engine.version} from ${run.startTime.toISOString()} to ${run.endTime.toISOString()}${failed ? `; it failed: ${run.error}` : ''}.\n\nOpen \`ro-crate-preview.html\` for what ran on what, producing what; \`ro-crate-metadata.json\` holds the same as RO-Crate (Workflow Run Crate / Provenance Run Crate 0.5), and \`manifest-sha256.txt\` the checksum of every file (\`sha256sum -c manifest-sha256.txt\`).\n`;
}
