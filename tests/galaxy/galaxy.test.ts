/**
 * fairio's tools in a real Galaxy (26.1 from PyPI, started here on 127.0.0.1, conda and network
 * fetches off): the tool panel, every tool's own <tests> through Galaxy's galaxy-tool-test, and
 * what a user gets — OME-Zarr outputs that fairio and ome-zarr-py open, a crate that validates,
 * and text parameters that reach fairio verbatim without running anything.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { galaxyTools, toolId } from '@fairio/galaxy-tools';
import { openOmeZarr, validateStore } from '@fairio/ngff';
import { validateCrate } from '@fairio/provenance';
import { hasPython, missing, python } from '../helpers/reference.js';
import { hasRocValidator, rocValidate } from '../helpers/rocrate.js';
import { galaxyApi, galaxyVenv, hasGalaxy, startGalaxy, toolsDir, type GalaxyServer } from './galaxy-server.js';

const run = promisify(execFile);
const testData = path.join(toolsDir, 'test-data');

interface Dataset {
  id: string;
  state: string;
  file_name?: string;
  extension: string;
}
interface ToolRun {
  outputs: { id: string; output_name: string }[];
  jobs: { id: string }[];
}

describe.skipIf(missing('a Galaxy server in .venv-galaxy (scripts/setup.sh)', hasGalaxy))('fairio in a real Galaxy', () => {
  let server: GalaxyServer;
  let historyId: string;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-test-'));

  beforeAll(async () => {
    const started = Date.now();
    server = await startGalaxy();
    console.info(`Galaxy ${server.url} started in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    historyId = (await galaxyApi<{ id: string }>(server, '/api/histories', { method: 'POST', body: JSON.stringify({ name: 'fairio e2e' }) })).id;
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function waitForDataset(id: string, timeoutMs = 180_000): Promise<Dataset> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = await galaxyApi<Dataset>(server, `/api/datasets/${id}?view=detailed`);
      if (d.state === 'ok') return d;
      if (['error', 'failed_metadata', 'discarded', 'deleted'].includes(d.state)) {
        throw new Error(`dataset ${id} is ${d.state}; Galaxy log: ${server.log}`);
      }
      if (Date.now() > deadline) throw new Error(`dataset ${id} still ${d.state}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Upload a file from test-data by path (the test user is an admin; path paste is on). */
  async function upload(file: string, ext: string): Promise<string> {
    const body = { history_id: historyId, targets: [{ destination: { type: 'hdas' }, elements: [{ src: 'path', path: path.join(testData, file), ext, name: file }] }] };
    const result = await galaxyApi<{ outputs: { id: string }[] }>(server, '/api/tools/fetch', { method: 'POST', body: JSON.stringify(body) });
    await waitForDataset(result.outputs[0].id);
    return result.outputs[0].id;
  }

  async function runTool(tool: string, inputs: Record<string, unknown>): Promise<Record<string, Dataset>> {
    const result = await galaxyApi<ToolRun>(server, '/api/tools', { method: 'POST', body: JSON.stringify({ tool_id: tool, history_id: historyId, inputs }) });
    const outputs: Record<string, Dataset> = {};
    for (const o of result.outputs) outputs[o.output_name] = await waitForDataset(o.id);
    return outputs;
  }

  /** An ome_zarr dataset's store: Galaxy keeps it in the dataset's extra files folder. */
  const storeOf = (d: Dataset) => d.file_name!.replace(/\.dat$/, '_files');

  it('shows the section "fairio" with every tool in its tool panel', async () => {
    const panel = await galaxyApi<{ id: string; name: string; elems?: { id: string; version: string }[] }[]>(server, '/api/tools?in_panel=true');
    const section = panel.find((s) => s.id === 'fairio');
    expect(section?.name).toBe('fairio');
    expect(section!.elems!.map((e) => e.id).sort()).toEqual(galaxyTools.map((t) => toolId(t.description)).sort());
    for (const e of section!.elems!) expect(e.version).toMatch(/^\d+\.\d+\.\d+\+galaxy\d+$/);
  });

  it("runs every tool's <tests> green with galaxy-tool-test", async () => {
    const report = path.join(scratch, 'tool-tests.json');
    const started = Date.now();
    await run(
      path.join(galaxyVenv, 'bin', 'galaxy-tool-test'),
      ['-u', server.url, '-k', server.userKey, '-a', server.adminKey, '--test-data', testData, '--parallel-tests', '4', '-j', report, '--history-name', 'tool tests'],
      // 12 Galaxy jobs (each with Galaxy's own metadata step) share 2 cores with the rest of the suite: 8–10 min seen in CI.
      { maxBuffer: 1 << 26, timeout: 1_200_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      // A failing test makes galaxy-tool-test exit non-zero; the report below says which and why.
      if (!fs.existsSync(report)) throw new Error(`galaxy-tool-test failed without a report: ${error.stderr ?? error}`);
    });
    const results = JSON.parse(fs.readFileSync(report, 'utf8')) as { results: { total: number; errors: number; failures: number }; tests: { id: string; data: { status: string; job?: { stderr?: string } } }[] };
    console.info(`galaxy-tool-test: ${results.results.total} tests in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const failed = results.tests.filter((t) => t.data.status !== 'success').map((t) => `${t.id}: ${t.data.status} ${t.data.job?.stderr ?? ''} ${JSON.stringify(t.data).slice(0, 1500)}`);
    expect(failed).toEqual([]);
    const expected = galaxyTools.reduce((n, t) => n + t.tests.length, 0);
    expect(results.results.total).toBe(expected);
  }, 1_260_000);

  it('passes hostile text to fairio verbatim and runs none of it', async () => {
    const canary = path.join(scratch, 'CANARY');
    const hostile = [`nuclei'; touch ${canary} #`, `$(touch ${canary})`, `\`touch ${canary}\``, `"; touch ${canary}; "`, `line one\ntouch ${canary}`].join(' | ');
    const image = await upload('cells.ome.zarr.zip', 'ome_zarr.zip');
    const { mask, crate } = await runTool('fairio_threshold', { image: { src: 'hda', id: image }, method: 'otsu', channel: 0, 'fair|description': hostile, 'fair|license': 'CC-BY-4.0' });
    expect(fs.existsSync(canary)).toBe(false);
    // The description reached the node as it was typed: it is in the image's FAIR crate, unchanged.
    const metadata = JSON.parse(fs.readFileSync(path.join(storeOf(mask), 'ro-crate-metadata.json'), 'utf8')) as { '@graph': { description?: string }[] };
    expect(metadata['@graph'].map((e) => e.description)).toContain(hostile);
    expect(fs.statSync(crate.file_name!).size).toBeGreaterThan(0);

    // The same for a node parameter: class names become the classifier's classes, verbatim.
    const names = [`a'; touch ${canary} #`, `$(touch ${canary}) \`touch ${canary}\``];
    const sample = await upload('sample.ome.tiff', 'ome.tiff');
    const scribbles = await upload('scribbles.tiff', 'tiff');
    const { classifier } = await runTool('fairio_classify_train', {
      image: { src: 'hda', id: sample },
      labels: { src: 'hda', id: scribbles },
      features: 'gs',
      scales: '1.0',
      trees: 2,
      class_names: names.join(','),
    });
    expect(fs.existsSync(canary)).toBe(false);
    const trained = JSON.parse(fs.readFileSync(classifier.file_name!, 'utf8')) as { classes: { name: string }[] };
    expect(trained.classes.map((c) => c.name)).toEqual(names);
  }, 300_000);

  it('writes OME-Zarr that fairio and ome-zarr-py open, and a crate that validates', async () => {
    const tiff = await upload('sample.ome.tiff', 'ome.tiff');
    const convert = galaxyTools.find((t) => t.description.id === 'convert')!.description;
    const outputs = await runTool('fairio_convert', { [convert.inputs[0].name]: { src: 'hda', id: tiff }, ngff: '0.5' });
    const image = outputs[convert.outputs[0].name];
    expect(image.extension).toBe('ome_zarr');
    const store = storeOf(image);

    const group = await openOmeZarr(store);
    expect(group.kind).toBe('image');
    const report = await validateStore(store);
    expect(report.valid, report.message).toBe(true);
    if (!missing('ome-zarr-py in .venv', hasPython)) {
      const shape = await python(
        ['import json, sys', 'from ome_zarr.io import parse_url', 'from ome_zarr.reader import Reader', 'nodes = list(Reader(parse_url(sys.argv[1]))())', 'print(json.dumps(list(nodes[0].data[0].shape)))'].join('\n'),
        [store],
      );
      expect(JSON.parse(shape.trim().split('\n').pop()!)).toEqual([2, 64, 64]); // c, y, x: the sample has one plane
    }

    const crate = outputs.crate;
    const zip = path.join(scratch, 'convert.crate.zip');
    fs.copyFileSync(crate.file_name!, zip);
    const validation = await validateCrate(zip);
    expect(validation.valid, JSON.stringify(validation.findings)).toBe(true);
    if (!missing('roc-validator in .venv', hasRocValidator)) {
      const [roc] = await rocValidate([[zip, 'process-run-crate-0.5', 'REQUIRED']]);
      expect(roc.passed, JSON.stringify(roc.issues)).toBe(true);
    }
  }, 300_000);
});
