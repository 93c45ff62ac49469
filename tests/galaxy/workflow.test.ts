/**
 * The nuclei-segmentation example workflow in a real Galaxy (the one
 * galaxy-server.ts starts, with fairio's generated tools) and with fairio's
 * local runner, on the same inputs: Galaxy imports the `.ga` as written,
 * runs all five steps, and every output is the same — the measurement
 * table byte for byte, and the OME-Zarr outputs chunk file for chunk file
 * (the computation and its compression are deterministic).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, sha256Of } from '@fairio/provenance';
import { exampleDir, exampleWorkflow, readWorkflow, runWorkflow } from '@fairio/workflows';
import { missing } from '../helpers/reference.js';
import { galaxyApi, hasGalaxy, startGalaxy, type GalaxyServer } from './galaxy-server.js';

const example = exampleDir('nuclei-segmentation');
const data = path.join(example, 'test-data');

interface Dataset {
  id: string;
  state: string;
  file_name?: string;
}

/** sha256 of every chunk file of an OME-Zarr (its metadata and crates aside), by path. */
async function chunkDigests(store: string): Promise<Record<string, string>> {
  const files = (await listFiles(store)).filter((f) => /^\d/.test(f) && !f.endsWith('zarr.json') && !f.endsWith('.zarray') && !f.endsWith('.zattrs'));
  return Object.fromEntries(files.map((f) => [f, sha256Of(fs.readFileSync(path.join(store, f)))]));
}

describe.skipIf(missing('a Galaxy server in .venv-galaxy (scripts/setup.sh)', hasGalaxy))('the nuclei-segmentation workflow in a real Galaxy', () => {
  let server: GalaxyServer;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-workflow-'));

  beforeAll(async () => {
    server = await startGalaxy();
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function waitForDataset(id: string, deadline: number): Promise<Dataset> {
    for (;;) {
      const d = await galaxyApi<Dataset>(server, `/api/datasets/${id}?view=detailed`);
      if (d.state === 'ok') return d;
      if (['error', 'failed_metadata', 'discarded', 'deleted'].includes(d.state)) throw new Error(`dataset ${id} is ${d.state}; Galaxy log: ${server.log}`);
      if (Date.now() > deadline) throw new Error(`dataset ${id} still ${d.state}; Galaxy log: ${server.log}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  it('gives the same outputs as the local runner', async () => {
    const deadline = Date.now() + 480_000;
    const history = (await galaxyApi<{ id: string }>(server, '/api/histories', { method: 'POST', body: JSON.stringify({ name: 'fairio workflow' }) })).id;
    const upload = async (file: string, ext: string) => {
      const body = { history_id: history, targets: [{ destination: { type: 'hdas' }, elements: [{ src: 'path', path: path.join(data, file), ext, name: file }] }] };
      const result = await galaxyApi<{ outputs: { id: string }[] }>(server, '/api/tools/fetch', { method: 'POST', body: JSON.stringify(body) });
      return (await waitForDataset(result.outputs[0].id, deadline)).id;
    };
    const image = await upload('nuclei.ome.tiff', 'tiff');
    const model = await upload('nuclei-model.zip', 'zip');
    const ga = JSON.parse(fs.readFileSync(path.join(example, 'nuclei-segmentation.ga'), 'utf8')) as Record<string, unknown>;
    const workflow = await galaxyApi<{ id: string }>(server, '/api/workflows', { method: 'POST', body: JSON.stringify({ workflow: ga }) });
    // Inputs by step number, as in the .ga: 0 image, 1 model (2, the threshold, keeps its default 0.5).
    const invocation = await galaxyApi<{ id: string }>(server, `/api/workflows/${workflow.id}/invocations`, {
      method: 'POST',
      body: JSON.stringify({ history_id: history, inputs_by: 'step_index', inputs: { '0': { src: 'hda', id: image }, '1': { src: 'hda', id: model } } }),
    });
    let outputs: Record<string, { id: string }> = {};
    for (;;) {
      const state = await galaxyApi<{ state: string; outputs: Record<string, { id: string }> }>(server, `/api/invocations/${invocation.id}`);
      if (state.state === 'failed' || state.state === 'cancelled') throw new Error(`the invocation ${state.state}; Galaxy log: ${server.log}`);
      if ((state.state === 'scheduled' || state.state === 'completed') && Object.keys(state.outputs).length === 3) {
        outputs = state.outputs;
        break;
      }
      if (Date.now() > deadline) throw new Error(`the invocation is still ${state.state}; Galaxy log: ${server.log}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    const galaxy = Object.fromEntries(await Promise.all(Object.entries(outputs).map(async ([label, o]) => [label, (await waitForDataset(o.id, deadline)).file_name!] as const)));

    const local = await runWorkflow(readWorkflow(exampleWorkflow('nuclei-segmentation')), {
      inputs: { image: path.join(data, 'nuclei.ome.tiff'), model: path.join(data, 'nuclei-model.zip') },
      outdir: path.join(work, 'local'),
      crate: false,
    });
    expect(local.status).toBe('completed');
    const localPath = (label: string) => (local.outputs[label] as { path: string }).path;

    expect(sha256Of(fs.readFileSync(galaxy.measurements))).toBe(sha256Of(fs.readFileSync(localPath('measurements'))));
    for (const label of ['probabilities', 'labels']) {
      // Galaxy keeps an ome_zarr dataset's store in the dataset's extra files folder.
      const store = galaxy[label].replace(/\.dat$/, '_files');
      const [theirs, ours] = await Promise.all([chunkDigests(store), chunkDigests(localPath(label))]);
      expect(Object.keys(ours).length, label).toBeGreaterThan(0);
      expect(theirs, label).toEqual(ours);
    }
  }, 600_000);
});
