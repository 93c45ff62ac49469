/**
 * The fairio tool suite for Galaxy: every node in model-runner's registry
 * (so a new node is a new tool without touching this package, apart from
 * its tests) and the CLI commands described in commands.ts, each with the
 * tests Galaxy runs on the small files in `tools/test-data/` (written by
 * `npm run test-data -w galaxy-tools`).
 */
import { nodes, type NodeDescription } from '@fairio/model-runner/nodes';
import { convertDescription, crateValidateDescription, infoDescription, validateDescription } from './commands.js';
import type { GalaxyTool, ToolTest } from './tool-spec.js';

const CELLS = { file: 'cells.ome.zarr.zip', ftype: 'ome_zarr.zip' };
const SAMPLE = { file: 'sample.ome.tiff', ftype: 'ome.tiff' };
const ZARR_V3 = (text: string[]) => ({ extraFile: { name: 'zarr.json', hasText: text } });

/** Tests of the registry's nodes, by node id. A node without tests here still becomes a tool (and planemo lint says so). */
const NODE_TESTS: Record<string, ToolTest[]> = {
  threshold: [
    { params: { image: CELLS, method: 'manual', value: '1000', channel: '1' }, outputs: { mask: ZARR_V3(['"image-label"', '"multiscales"']) } },
  ],
  label: [{ params: { mask: { file: 'mask.ome.zarr.zip', ftype: 'ome_zarr.zip' }, connectivity: '1' }, outputs: { labels: ZARR_V3(['"image-label"']) } }],
  measure: [
    {
      params: { labels: { file: 'labels.ome.zarr.zip', ftype: 'ome_zarr.zip' }, intensity: CELLS, channel: '0' },
      outputs: { table: { hasText: ['intensity_mean'], hasLine: undefined } },
    },
  ],
  classify_train: [
    {
      params: { image: SAMPLE, labels: { file: 'scribbles.tiff', ftype: 'tiff' }, features: 'gs,ggm', scales: '0.7,1.6', trees: '10', seed: '1', class_names: 'nucleus,background' },
      outputs: { classifier: { hasText: ['"format"', '"nucleus"'] } },
    },
  ],
  classify_predict: [
    {
      params: { classifier: { file: 'cells.fairio-rf.json', ftype: 'json' }, image: SAMPLE },
      outputs: { output: ZARR_V3(['"image-label"']) },
    },
  ],
  classify_features: [{ params: { image: SAMPLE, features: 'gs', scales: '1.0' }, outputs: { output: ZARR_V3(['Gaussian Smoothing']) } }],
  bioimageio_predict: [
    {
      params: { 'model|source': 'dataset', 'model|file': { file: 'nuclei-demo.zip', ftype: 'zip' }, image: CELLS, channels: '0' },
      outputs: { prediction: ZARR_V3(['"multiscales"']) },
    },
  ],
  'imagej-macro': [
    {
      params: { 'macro|source': 'text', 'macro|text': 'run("Gaussian Blur...", "sigma=2");\nrun("Measure");', images: { files: ['sample.ome.tiff'], ftype: 'ome.tiff' }, timeout: '300' },
      // Per image: its Results table and its own Process Run Crate.
      outputs: { output: { archiveMembers: ['imagej\\.log', '.*/results\\.csv', '.*/ro-crate-metadata\\.json'] } },
    },
  ],
};

/** A conversion to OME-NGFF 0.4 (0.5 is what the other tools' test data are), for the convert command or a convert node alike. */
function convertTests(d: NodeDescription): ToolTest[] {
  return [{ params: { [d.inputs[0].name]: SAMPLE, ngff: '0.4', compressor: 'zstd' }, outputs: { [d.outputs[0].name]: { extraFile: { name: '.zattrs', hasText: ['"multiscales"', '"omero"'] } } } }];
}

const nodeTools: GalaxyTool[] = nodes.map((node) => ({
  description: node.description,
  run: { kind: 'node' },
  fair: true,
  tests: node.description.id === 'convert' ? convertTests(node.description) : (NODE_TESTS[node.description.id] ?? []),
  // The macro node's output is a folder of per-image folders (images, tables, logs): Galaxy gets it zipped.
  // Which ImageJ runs is the admin's choice (FIJI_HOME on the job destination, else Debian's ImageJ), not a form field.
  ...(node.description.id === 'imagej-macro' ? { outputs: { output: { format: 'zip', zipFolder: true } }, omit: ['imagej'] } : {}),
}));

const commandTools: GalaxyTool[] = [
  {
    description: convertDescription,
    run: { kind: 'command', records: true },
    fair: true,
    tests: convertTests(convertDescription),
  },
  {
    description: infoDescription,
    run: { kind: 'command', fixed: ['--json'], stdout: 'report', records: false },
    fair: false,
    tests: [{ params: { location: CELLS }, outputs: { report: { hasText: ['"kind": "image"', '"levels"'] } } }],
  },
  {
    description: validateDescription,
    run: { kind: 'command', fixed: ['--json', '--exit-zero'], stdout: 'report', records: false },
    fair: false,
    tests: [{ params: { target: CELLS, strict: 'false' }, outputs: { report: { hasText: ['"valid":true'] } } }],
  },
  {
    description: crateValidateDescription,
    run: { kind: 'command', fixed: ['--json'], stdout: 'report', verdictExitCodes: [1], records: false },
    inputs: { archive: { accepts: ['zip'] } },
    fair: false,
    tests: [{ params: { archive: { file: 'run.crate.zip', ftype: 'zip' }, profile: 'process' }, outputs: { report: { hasText: ['"valid": true'] } } }],
  },
];

/**
 * Every fairio Galaxy tool, conversion and inspection first, then the analysis nodes in registry
 * order. A command that has become a node in the registry (convert) is the node's tool: one
 * description per step, so a Galaxy tool and a workflow step have the same parameters.
 */
export const galaxyTools: GalaxyTool[] = [
  ...commandTools.map((t) => {
    const node = nodeTools.find((n) => n.description.id === t.description.id);
    return node ? { ...node, tests: node.tests.length ? node.tests : t.tests } : t;
  }),
  ...nodeTools.filter((n) => !commandTools.some((t) => t.description.id === n.description.id)),
];

/** The tool for a node or command id. */
export function findTool(id: string): GalaxyTool | undefined {
  return galaxyTools.find((t) => t.description.id === id);
}

export type { NodeDescription };
