/**
 * fairio's crates against the RO-Crate community's own tools, run for real:
 * roc-validator accepts them at REQUIRED severity for RO-Crate 1.1, Process,
 * Workflow and Provenance Run Crate 0.5 and Workflow RO-Crate 1.0 (fetching
 * nothing from the network), every RECOMMENDED finding is one that
 * docs/conformance.md lists, and ro-crate-py reads the FAIR Image Object
 * metadata back with the licence, organism and imaging method written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeIssues, hasRocValidator, hasRoCratePy, rocValidate, type RocJob, type RocResult } from '../../tests/helpers/rocrate.js';
import { hasPython, missing, pythonJson } from '../../tests/helpers/reference.js';
import { makeImage, makeInput, tempDir } from './__fixtures__/images.js';
import { GXWF, recordSegmentRun, segmentWorkflow } from './__fixtures__/workflow.js';
import { recordRun } from './record.js';
import { exportWorkflowCrate } from './workflow-ro-crate.js';

const jane = { name: 'Jane Doe', orcid: '0000-0002-1825-0097', affiliation: { type: 'Organization' as const, name: 'Example Institute', url: 'https://ror.org/05qj6w324' } };

/** RECOMMENDED findings docs/conformance.md lists (roc-validator check names), with what fairio does about each. */
const DOCUMENTED_RECOMMENDED = new Set([
  'Root Data Entity: `publisher` property',
  'Root Data Entity: `license` SHOULD link to a Contextual Entity',
  'Root Data Entity: `author` property',
  'Action agent',
  'SoftwareApplication id',
  'CreativeWork Author: RECOMMENDED affiliation property',
  'CreativeWork Author: RECOMMENDED Contextual Entity linked for the organizational `affiliation` property',
  'Action result',
]);

const crates: Record<string, string> = {};

beforeAll(async () => {
  if (!hasRocValidator && !hasRoCratePy) return;
  // A conversion: folder crate + FAIR image crate inside the OME-Zarr.
  const convert = tempDir();
  const input = makeInput(path.join(convert, 'cells.tif'));
  const image = await makeImage(path.join(convert, 'cells.ome.zarr'));
  await recordRun(
    { name: 'Convert cells.tif', tool: 'convert', inputs: [input], parameters: [{ name: 'ngff', value: '0.5' }], outputs: [image], agent: jane, startTime: new Date() },
    { images: { [image]: { license: 'CC-BY-4.0', organism: 'NCBITaxon:10090', imagingMethod: 'FBbi:00000246', creators: [jane] } } },
  );
  crates.convert = convert;
  crates.image = image;
  // A failed run.
  const failed = tempDir();
  await recordRun({ name: 'Convert broken.tif', tool: 'convert', inputs: [makeInput(path.join(failed, 'broken.tif'), 8)], outputs: [path.join(failed, 'broken.ome.zarr')], agent: jane, startTime: new Date(), error: 'broken.tif: not a TIFF' });
  crates.failed = failed;
  // Workflow runs: with the steps (Provenance Run Crate), without (Workflow Run Crate), failed.
  crates.provenance = tempDir();
  await recordSegmentRun(crates.provenance, { agent: jane });
  crates.workflow = tempDir();
  await recordSegmentRun(crates.workflow, { agent: jane, provenance: false });
  crates.workflowFailed = tempDir();
  await recordSegmentRun(crates.workflowFailed, { agent: jane, fail: true });
  // A Workflow RO-Crate for WorkflowHub.
  const wf = tempDir();
  fs.writeFileSync(path.join(wf, 'segment-nuclei.gxwf.yml'), GXWF);
  fs.writeFileSync(path.join(wf, 'segment-nuclei-tests.yml'), '- doc: segments the sample\n  job:\n    image: cells.tif\n');
  crates.wroc = await exportWorkflowCrate({
    workflowFile: path.join(wf, 'segment-nuclei.gxwf.yml'),
    workflow: { ...segmentWorkflow, creators: [jane] },
    license: 'MIT',
    tests: [path.join(wf, 'segment-nuclei-tests.yml')],
    output: path.join(wf, 'segment-nuclei.crate.zip'),
  });
}, 120_000);

const REQUIRED: [profile: string, crates: string[]][] = [
  ['ro-crate-1.1', ['convert', 'image', 'failed', 'provenance', 'wroc']],
  ['process-run-crate-0.5', ['convert', 'image', 'failed']],
  ['workflow-run-crate-0.5', ['workflow', 'provenance']],
  ['provenance-run-crate-0.5', ['provenance', 'workflowFailed']],
  ['workflow-ro-crate-1.0', ['wroc', 'provenance']],
];

describe.skipIf(missing('roc-validator (pip roc-validator)', hasRocValidator))('roc-validator', () => {
  let required: RocResult[] = [];
  let recommended: RocResult[] = [];

  beforeAll(async () => {
    const jobs: RocJob[] = REQUIRED.flatMap(([profile, names]) => names.map((n): RocJob => [crates[n], profile, 'REQUIRED']));
    const documentation: RocJob[] = [
      [crates.convert, 'process-run-crate-0.5', 'RECOMMENDED'],
      [crates.image, 'process-run-crate-0.5', 'RECOMMENDED'],
      [crates.provenance, 'provenance-run-crate-0.5', 'RECOMMENDED'],
      [crates.wroc, 'workflow-ro-crate-1.0', 'RECOMMENDED'],
    ];
    const results = await rocValidate([...jobs, ...documentation]);
    required = results.slice(0, jobs.length);
    recommended = results.slice(jobs.length);
  }, 180_000);

  it.each(REQUIRED)('accepts fairio crates at REQUIRED severity for %s', (profile, names) => {
    for (const name of names) {
      const result = required.find((r) => r.profile === profile && r.crate === crates[name])!;
      expect(result.passed, `${name} crate, ${profile}:\n${describeIssues(result)}`).toBe(true);
      expect(result.refused, 'nothing may be fetched from the network').toEqual([]);
    }
  });

  it('finds only the RECOMMENDED points docs/conformance.md lists', () => {
    for (const result of recommended) {
      const label = `${path.basename(result.crate)} ${result.profile}`;
      console.log(`roc-validator RECOMMENDED, ${label}:\n${describeIssues(result) || '(none)'}`);
      expect(result.issues.filter((i) => i.severity === 'REQUIRED'), label).toEqual([]);
      for (const issue of result.issues) expect(DOCUMENTED_RECOMMENDED.has(issue.check), `${label}: ${issue.check} (${issue.message})`).toBe(true);
    }
  });
});

describe.skipIf(missing('ro-crate-py (pip rocrate)', hasRoCratePy))('ro-crate-py', () => {
  it('reads the FAIR Image Object metadata of a fairio OME-Zarr back: licence, organism, imaging method', async () => {
    const read = await pythonJson<Record<string, unknown>>(
      `
import json, sys
from rocrate.rocrate import ROCrate
crate = ROCrate(sys.argv[1])
as_list = lambda v: v if isinstance(v, list) else [v]
root = crate.root_dataset
acquisition = root["resultOf"]
biosample = acquisition["specimen"]["biosample"]
print(json.dumps({
    "name": root["name"],
    "license": root["license"],
    "acquisition_type": acquisition.type,
    "imaging_method": acquisition["fbbi_id"],
    "biosample_type": biosample.type,
    "organism": biosample["organism_classification"],
    "properties": {p["name"]: p["value"] for p in root["additionalProperty"]},
    "format": root["encodingFormat"].id,
    "actions": [a["name"] for a in as_list(root["mentions"])],
}))
`,
      [crates.image],
    );
    expect(read).toMatchObject({
      license: 'https://creativecommons.org/licenses/by/4.0/',
      acquisition_type: 'image_acquisition',
      imaging_method: 'obo:FBbi_00000246',
      biosample_type: 'biosample',
      organism: 'NCBI:txid10090',
      format: 'https://ngff.openmicroscopy.org/',
      actions: ['Convert cells.tif'],
    });
    expect(read.properties).toMatchObject({ axes: 'c,y,x', 'physical size x': 0.325, 'channel 0': 'DAPI' });
  });
});

describe.skipIf(missing('Python (.venv)', hasPython))('zip archives', () => {
  it("are read by Python's zipfile, CRCs and all", async () => {
    const names = await pythonJson<string[]>('import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps(z.namelist()))', [crates.wroc]);
    expect(names).toEqual(['ro-crate-metadata.json', 'README.md', 'segment-nuclei.gxwf.yml', 'test/', 'test/segment-nuclei-tests.yml']);
  });
});
