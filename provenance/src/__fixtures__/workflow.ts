/** A two-step workflow (threshold → label) and a run of it, for the workflow crate tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Agent } from '../agents.js';
import { fairioSoftware } from '../fairio-software.js';
import { GALAXY, type WorkflowDefinition, type WorkflowTool } from '../workflow.js';
import { recordWorkflowRun } from '../record-workflow-run.js';
import { makeImage, makeInput } from './images.js';

const tool = (command: string, inputs: WorkflowTool['inputs'], outputs: WorkflowTool['outputs']): WorkflowTool => ({ ...fairioSoftware({ command }), requires: undefined, inputs, outputs });

export const segmentWorkflow: WorkflowDefinition = {
  file: 'segment-nuclei.gxwf.yml',
  name: 'Segment nuclei',
  description: 'Threshold an image, then label the connected components.',
  version: '1.0.0',
  license: 'MIT',
  url: 'https://example.org/workflows/segment-nuclei',
  language: GALAXY,
  inputs: [
    { id: 'image', type: 'File', encodingFormat: 'image/tiff' },
    { id: 'threshold', type: 'Float', defaultValue: 0.5 },
  ],
  outputs: [{ id: 'labels', type: 'Dataset' }],
  steps: [
    { id: 'threshold', name: 'Threshold', position: 0, tool: tool('threshold', [{ id: 'image', type: 'File' }, { id: 'level', type: 'Float' }], [{ id: 'mask', type: 'File' }]) },
    { id: 'label', name: 'Label', position: 1, tool: tool('label', [{ id: 'mask', type: 'File' }], [{ id: 'labels', type: 'Dataset' }]) },
  ],
  connections: [
    { source: { parameter: 'image' }, target: { step: 'threshold', parameter: 'image' } },
    { source: { parameter: 'threshold' }, target: { step: 'threshold', parameter: 'level' } },
    { source: { step: 'threshold', parameter: 'mask' }, target: { step: 'label', parameter: 'mask' } },
    { source: { step: 'label', parameter: 'labels' }, target: { parameter: 'labels' } },
  ],
};

export const GXWF = 'class: GalaxyWorkflow\nlabel: Segment nuclei\ninputs:\n  image: data\n  threshold: float\noutputs:\n  labels:\n    outputSource: label/labels\nsteps:\n  threshold:\n    tool_id: fairio_threshold\n  label:\n    tool_id: fairio_label\n';

/** Run the workflow (with stand-in files) and record it in `dir`. */
export async function recordSegmentRun(dir: string, options: { provenance?: boolean; agent?: Agent; fail?: boolean } = {}): Promise<string> {
  fs.writeFileSync(path.join(dir, segmentWorkflow.file!), GXWF);
  const image = makeInput(path.join(dir, 'cells.tif'));
  const mask = makeInput(path.join(dir, 'mask.tif'), 2048);
  const labels = options.fail ? path.join(dir, 'labels.ome.zarr') : await makeImage(path.join(dir, 'labels.ome.zarr'));
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
  return recordWorkflowRun(
    dir,
    {
      workflow: segmentWorkflow,
      engine: { ...fairioSoftware({ command: 'run' }), name: 'fairio workflow runner' },
      agent: options.agent,
      inputs: [{ parameter: 'image', path: image }, { parameter: 'threshold', value: 0.5 }],
      outputs: [{ parameter: 'labels', path: labels }],
      steps: [
        { step: 'threshold', inputs: [{ parameter: 'image', path: image }, { parameter: 'level', value: 0.5 }], outputs: [{ parameter: 'mask', path: mask }], startTime: t(0), endTime: t(2) },
        {
          step: 'label',
          inputs: [{ parameter: 'mask', path: mask }],
          outputs: [{ parameter: 'labels', path: labels }],
          startTime: t(2),
          endTime: t(3),
          ...(options.fail ? { error: 'label: out of memory' } : {}),
        },
      ],
      startTime: t(0),
      endTime: t(3),
      ...(options.fail ? { error: 'step "label" failed: out of memory' } : {}),
    },
    { provenance: options.provenance },
  );
}
