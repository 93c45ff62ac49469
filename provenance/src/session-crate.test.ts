/**
 * A recorded notebook session exported as a crate, checked by the RO-Crate
 * community's tools: roc-validator accepts it at REQUIRED severity for every
 * profile it claims, and ro-crate-py reads back the notebook, the cells as
 * steps (the failed one failed), the kernel and packages, and the fairio run
 * the session made, with the files it wrote by checksum. The fairio run is a
 * real `recordRun`, so the link is to a crate exactly as fairio writes it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeIssues, hasRocValidator, hasRoCratePy, rocValidate, type RocResult } from '../../tests/helpers/rocrate.js';
import { missing, pythonJson } from '../../tests/helpers/reference.js';
import { makeImage, makeInput, tempDir } from './__fixtures__/images.js';
import type { Entity } from './builder.js';
import { recordRun } from './record.js';
import { sessionCrate } from './session-crate.js';
import { digestOutputs, newSessionRecord, readSessionRecord, type CellExecution, type SessionRecord } from './session-record.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
const iso = (s: number) => t(s).toISOString();
const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

const NOTEBOOK = `${JSON.stringify(
  {
    cells: [
      { cell_type: 'code', id: 'c1', metadata: {}, execution_count: 1, source: ['import numpy as np\n', 'print(np.__version__)'], outputs: [{ output_type: 'stream', name: 'stdout', text: ['1.26.4\n'] }] },
      { cell_type: 'code', id: 'c2', metadata: {}, execution_count: 2, source: ['!fairio convert cells.tif out/cells.ome.zarr'], outputs: [] },
      { cell_type: 'code', id: 'c3', metadata: {}, execution_count: 3, source: ['1 / 0'], outputs: [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['ZeroDivisionError: division by zero'] }] },
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
)}\n`;

function execution(n: number, code: string, start: number, end: number, extra: Partial<CellExecution> = {}): CellExecution {
  return { id: `msg-${n}`, cellId: `c${n}`, cellIndex: n - 1, code, kernel: 'k1', executionCount: n, startTime: iso(start), endTime: iso(end), status: 'ok', outputs: [], origin: 'notebook', ...extra };
}

let root: string;
let record: SessionRecord;
let crateDir: string;

async function makeSession(): Promise<SessionRecord> {
  root = tempDir('fairio-session-');
  const work = path.join(root, 'work');
  fs.mkdirSync(path.join(work, 'out'), { recursive: true });
  fs.writeFileSync(path.join(work, 'analysis.ipynb'), NOTEBOOK);
  // Cell 2 ran fairio, which left its crate in work/out.
  const input = makeInput(path.join(work, 'cells.tif'));
  const image = await makeImage(path.join(work, 'out', 'cells.ome.zarr'));
  await recordRun({ name: 'Convert cells.tif', tool: 'convert', inputs: [input], parameters: [{ name: 'ngff', value: '0.5' }], outputs: [image], startTime: t(11), endTime: t(13) }, { preview: false });
  const runCrate = fs.readFileSync(path.join(work, 'out', 'ro-crate-metadata.json'), 'utf8');
  const r = newSessionRecord({ id: 'session-1', notebook: 'work/analysis.ipynb', startTime: t(0), environment: { jupyterlab: { version: '4.2.5' }, extensions: [{ name: 'jupyterlab-fairio', version: '0.1.0' }, { name: '@jupyterlab/notebook-extension', version: '4.2.5' }] } });
  r.agent = { name: 'Jane Doe', orcid: '0000-0002-1825-0097' };
  r.kernels.push({ id: 'k1', name: 'python3', displayName: 'Python 3 (ipykernel)', implementation: { name: 'ipython', version: '8.20.0' }, language: { name: 'python', version: '3.11.2' }, pythonPackages: [{ name: 'numpy', version: '1.26.4' }, { name: 'ipykernel', version: '6.29.5' }] });
  r.executions.push(
    execution(1, 'import numpy as np\nprint(np.__version__)', 5, 6, { outputs: digestOutputs([{ output_type: 'stream', name: 'stdout', text: '1.26.4\n' }]) }),
    execution(2, '!fairio convert cells.tif out/cells.ome.zarr', 10, 14),
    execution(3, '1 / 0', 20, 21, { status: 'error', error: { name: 'ZeroDivisionError', value: 'division by zero' }, outputs: digestOutputs([{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['ZeroDivisionError: division by zero'] }]) }),
    // The same code again, sent by another client of the kernel (seen on iopub only).
    { ...execution(4, '1 / 0', 30, 31, { status: 'error', error: { name: 'ZeroDivisionError', value: 'division by zero' } }), cellId: undefined, cellIndex: undefined, origin: 'other-client' },
  );
  r.fairioRuns.push({ path: 'work/out/ro-crate-metadata.json', text: runCrate, sha256: sha(runCrate), readAt: iso(15) });
  r.endTime = iso(40);
  return r;
}

function writeCrate(r: SessionRecord, dir: string): void {
  const crate = sessionCrate(r, { notebook: new TextEncoder().encode(NOTEBOOK), exportTime: t(45), license: 'CC-BY-4.0' });
  for (const file of crate.files) {
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.path), file.data);
  }
}

beforeAll(async () => {
  record = await makeSession();
  crateDir = path.join(root, 'work', 'analysis.session.crate');
  writeCrate(record, crateDir);
}, 60_000);

describe('sessionCrate', () => {
  it('writes the notebook copy, the run crate copy and the metadata, the same bytes for the same record', () => {
    const files = fs.readdirSync(crateDir, { recursive: true }).map(String).sort();
    expect(files).toEqual(['analysis.ipynb', 'fairio-runs', 'fairio-runs/out', 'fairio-runs/out/ro-crate-metadata.json', 'ro-crate-metadata.json']);
    expect(fs.readFileSync(path.join(crateDir, 'analysis.ipynb'), 'utf8')).toBe(NOTEBOOK);
    // Deterministic: a stored record read back, with its lists in another order, gives the same bytes.
    const stored = readSessionRecord(JSON.parse(JSON.stringify(record)));
    stored.executions.reverse();
    stored.kernels[0].pythonPackages!.reverse();
    stored.environment.extensions.reverse();
    const again = path.join(root, 'again');
    writeCrate(stored, again);
    for (const f of ['ro-crate-metadata.json', 'fairio-runs/out/ro-crate-metadata.json']) expect(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(crateDir, f))), f).toBe(true);
  });

  it('links the fairio run to the cell it ran in, with its files by checksum', () => {
    const graph = JSON.parse(fs.readFileSync(path.join(crateDir, 'ro-crate-metadata.json'), 'utf8'))['@graph'] as Entity[];
    const byId = new Map(graph.map((e) => [e['@id'], e]));
    const convert = graph.find((e) => e.name === 'Convert cells.tif')!;
    expect(convert.subjectOf).toEqual({ '@id': 'fairio-runs/out/ro-crate-metadata.json' });
    const image = byId.get((convert.result as { '@id': string })['@id'])!;
    expect(image).toMatchObject({ '@type': 'Dataset', name: 'out/cells.ome.zarr', encodingFormat: { '@id': 'https://ngff.openmicroscopy.org/' } });
    const cell2 = graph.find((e) => e['@type'] === 'CreateAction' && String(e.name).startsWith('In [2]'))!;
    expect(cell2.result).toContainEqual({ '@id': image['@id'] });
    const cell3 = graph.find((e) => e['@type'] === 'CreateAction' && String(e.name).startsWith('In [3]'))!;
    expect(cell3).toMatchObject({ actionStatus: 'http://schema.org/FailedActionStatus', error: 'ZeroDivisionError: division by zero' });
  });
});

describe('sessionCrate, a short run in a cell run right after another', () => {
  it('credits the run to the cell it ran in, not to the one that ended just before it', async () => {
    // Cell 1 ends at 10.0 s, cell 2 starts at 10.2 s and runs fairio from 10.4 to 10.9 s: within the clock slack of
    // cell 1's end too, but cell 2 is the one it ran in (the later of the two cells whose time contains it).
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0, ms));
    const dir = tempDir('fairio-session-quick-');
    const work = path.join(dir, 'work');
    fs.mkdirSync(path.join(work, 'out'), { recursive: true });
    fs.writeFileSync(path.join(work, 'analysis.ipynb'), NOTEBOOK);
    const input = makeInput(path.join(work, 'cells.tif'));
    const image = await makeImage(path.join(work, 'out', 'cells.ome.zarr'));
    await recordRun({ name: 'Convert cells.tif', tool: 'convert', inputs: [input], parameters: [], outputs: [image], startTime: at(10_400), endTime: at(10_900) }, { preview: false });
    const runCrate = fs.readFileSync(path.join(work, 'out', 'ro-crate-metadata.json'), 'utf8');
    const r = newSessionRecord({ id: 'session-quick', notebook: 'work/analysis.ipynb', startTime: at(0), environment: { jupyterlab: { version: '4.2.5' }, extensions: [] } });
    r.kernels.push({ id: 'k1', name: 'python3', displayName: 'Python 3 (ipykernel)', implementation: { name: 'ipython', version: '8.20.0' }, language: { name: 'python', version: '3.11.2' }, pythonPackages: [] });
    r.executions.push(
      { ...execution(1, 'print(1)', 0, 0), startTime: at(9_000).toISOString(), endTime: at(10_000).toISOString() },
      { ...execution(2, '!fairio convert cells.tif out/cells.ome.zarr', 0, 0), startTime: at(10_200).toISOString(), endTime: at(11_000).toISOString() },
    );
    r.fairioRuns.push({ path: 'work/out/ro-crate-metadata.json', text: runCrate, sha256: sha(runCrate), readAt: at(12_000).toISOString() });
    r.endTime = at(13_000).toISOString();
    const crate = sessionCrate(r, { notebook: new TextEncoder().encode(NOTEBOOK), exportTime: at(14_000), license: 'CC-BY-4.0' });
    const graph = JSON.parse(new TextDecoder().decode(crate.files.find((f) => f.path === 'ro-crate-metadata.json')!.data))['@graph'] as Entity[];
    const convert = graph.find((e) => e.name === 'Convert cells.tif')!;
    const output = (convert.result as { '@id': string })['@id'];
    const cell = (n: number) => graph.find((e) => e['@type'] === 'CreateAction' && String(e.name).startsWith(`In [${n}]`))!;
    expect(cell(2).result).toContainEqual({ '@id': output });
    expect([cell(1).result].flat()).not.toContainEqual({ '@id': output });
  });
});

describe.skipIf(missing('roc-validator (pip roc-validator)', hasRocValidator))('roc-validator on a session crate', () => {
  let results: RocResult[];
  const profiles = ['ro-crate-1.1', 'process-run-crate-0.5', 'workflow-run-crate-0.5', 'provenance-run-crate-0.5', 'workflow-ro-crate-1.0'];
  beforeAll(async () => {
    results = await rocValidate(profiles.map((p) => [crateDir, p, 'REQUIRED']));
  }, 180_000);

  it.each(profiles)('accepts it at REQUIRED severity for %s', (profile) => {
    const result = results.find((r) => r.profile === profile)!;
    expect(result.passed, `${profile}:\n${describeIssues(result)}`).toBe(true);
    expect(result.refused).toEqual([]);
  });
});

describe.skipIf(missing('ro-crate-py (pip rocrate)', hasRoCratePy))('ro-crate-py on a session crate', () => {
  it('reads the notebook, the steps in order with their status, the kernel and packages, and the fairio run', async () => {
    const read = await pythonJson<{ steps: { name: string; status: string; code: string; kernel: string[] }[] } & Record<string, unknown>>(
      `
import json, sys
from rocrate.rocrate import ROCrate
crate = ROCrate(sys.argv[1])
as_list = lambda v: v if isinstance(v, list) else ([] if v is None else [v])
main = crate.mainEntity
session = [a for a in crate.get_entities() if a.type == 'CreateAction' and main.id in [i.id for i in as_list(a.get('instrument'))]][0]
steps = sorted(as_list(main['step']), key=lambda s: int(s['position']))
runs = {c['instrument'].id: c['object'] for c in crate.get_entities() if c.type == 'ControlAction'}
out = []
for s in steps:
    run = runs[s.id]
    instruments = as_list(run['instrument'])
    out.append({"name": run['name'], "status": run['actionStatus'], "code": s['workExample']['text'], "kernel": [i['name'] for i in instruments if i.id.startswith('#kernel')]})
kernel = crate.get('#kernel-python3-k1')
print(json.dumps({
  "main": main.id, "types": main.type, "language": main['programmingLanguage']['name'], "sha256": main['sha256'],
  "session": session['name'], "steps": out,
  "packages": sorted(p['name'] + '==' + p['softwareVersion'] for p in as_list(kernel['softwareRequirements']) if p.id.startswith('https://pypi.org')),
  "runs": [a['name'] for a in as_list(crate.root_dataset['mentions']) if a.get('subjectOf') is not None],
}))
`,
      [crateDir],
    );
    expect(read).toMatchObject({
      main: 'analysis.ipynb',
      types: ['File', 'SoftwareSourceCode', 'ComputationalWorkflow', 'HowTo'],
      language: 'Python',
      sha256: sha(NOTEBOOK),
      session: 'Session of analysis.ipynb',
      packages: ['ipykernel==6.29.5', 'numpy==1.26.4'],
      runs: ['Convert cells.tif'],
    });
    expect(read.steps.map((s) => s.status.replace('http://schema.org/', ''))).toEqual(['CompletedActionStatus', 'CompletedActionStatus', 'FailedActionStatus', 'FailedActionStatus']);
    expect(read.steps[0]).toMatchObject({ code: 'import numpy as np\nprint(np.__version__)', kernel: ['Jupyter kernel Python 3 (ipykernel)'] });
    expect(read.steps[3].name).toMatch(/^In \[4\], sent by another client/);
  });
});
