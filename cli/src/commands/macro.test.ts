/**
 * `fairio macro run MACRO.ijm --input IMG… --outdir DIR --arg k=v…` through
 * the real CLI code path and a real ImageJ (Debian's ij.jar under xvfb-run):
 * arguments full of shell syntax reach the macro verbatim and nothing runs
 * them; each image's folder gets its own Process Run Crate (that image with
 * its sha256, the macro text and its sha256, the arguments, ImageJ's and
 * Java's versions, its start and end), which roc-validator accepts as
 * process-run-crate-0.5, as it does the crate of the whole run that lists
 * them. Usage errors are caught before ImageJ starts.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertTiff } from '@fairio/ngff';
import { imagej } from '@fairio/model-runner';
import { hasImageJ } from '../../../tests/helpers/imagej.js';
import { hasSharedData, missing, shared } from '../../../tests/helpers/reference.js';
import { describeIssues, hasRocValidator, rocValidate } from '../../../tests/helpers/rocrate.js';
import { runInProcess } from '../run-in-process.js';

type Entity = Record<string, unknown> & { '@id': string; '@type': string | string[] };
const graph = (dir: string): Entity[] => (JSON.parse(fs.readFileSync(path.join(dir, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Entity[] })['@graph'];
const ids = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => (v as { '@id': string })['@id']);
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let tmp: string;
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-macro-cli-')));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('fairio macro run: usage', () => {
  it('refuses a bad argument, a line break, and the old form before any ImageJ starts', async () => {
    const macro = path.join(tmp, 'noop.ijm');
    const image = path.join(tmp, 'not-opened.tif');
    fs.writeFileSync(macro, 'print("x");\n');
    fs.writeFileSync(image, '');
    const base = ['macro', 'run', macro, '--input', image, '--imagej', path.join(tmp, 'no-imagej.jar'), '-q'];
    const noValue = await runInProcess([...base, '--outdir', path.join(tmp, 'u1'), '--arg', 'sigma']);
    expect(noValue.code).toBe(1);
    expect(noValue.stderr).toMatch(/macro argument: expected key=value, found "sigma"/);
    const twice = await runInProcess([...base, '--outdir', path.join(tmp, 'u2'), '--arg', 'a=1', '--arg', 'a=2']);
    expect(twice.stderr).toMatch(/"a" is given twice/);
    const lineBreak = await runInProcess([...base, '--outdir', path.join(tmp, 'u3'), '--arg', 'a=x\ny']);
    expect(lineBreak.code).toBe(2);
    expect(lineBreak.stderr).toMatch(/cannot hold a line break/);
    const old = await runInProcess(['macro', '--macro', macro, image, '-o', path.join(tmp, 'u4')]);
    expect(old.code).toBe(2);
    expect(fs.readdirSync(tmp).filter((f) => /^u\d$/.test(f))).toEqual([]);
  });
});

const skip = missing('ImageJ (Debian imagej + xvfb + a JDK)', hasImageJ) || missing('shared reference data', hasSharedData) || missing('roc-validator (.venv)', hasRocValidator);

describe.skipIf(skip)('fairio macro run with a real ImageJ', () => {
  it('two images through one ImageJ, arguments verbatim, one Process Run Crate per image that roc-validator accepts', async () => {
    const sample = shared('samples', 'tiff', 'sample.tiff');
    const work = path.join(tmp, 'real');
    fs.mkdirSync(work);
    const zarr = path.join(work, 'sample.ome.zarr');
    await convertTiff(sample, zarr, { workers: 0 });
    const marker = path.join(tmp, 'pwned');
    const macroText = [
      '#@ String title',
      'print("TITLE=<" + title + ">");',
      'print("SHELL=<" + call("ij.Macro.getValue", getArgument(), "shell", "none") + ">");',
      'print("EQ=<" + call("ij.Macro.getValue", getArgument(), "eq", "none") + ">");',
      'run("Gaussian Blur...", "sigma=2");',
      'setAutoThreshold("Default dark");',
      'run("Convert to Mask");',
      'run("Analyze Particles...", "display clear");',
      '',
    ].join('\n');
    const macro = path.join(work, 'count $(cells).ijm');
    fs.writeFileSync(macro, macroText);
    const args = { title: `cell "A" it's`, shell: `$(touch ${marker}); rm -rf ~ \`touch ${marker}\` | & > ;`, eq: 'a=b==c' };
    const out = path.join(work, 'counted');
    const started = Date.now();
    const run = await runInProcess([
      'macro', 'run', macro, '--input', sample, '--input', zarr, '--outdir', out,
      ...Object.entries(args).flatMap(([k, v]) => ['--arg', `${k}=${v}`]),
      '--timeout', '60', '--imagej', imagej.DEBIAN_IJ_JAR, '--license', 'CC-BY-4.0', '--quiet', '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const ended = Date.now();

    // Arguments reach the macro as typed; nothing ran them.
    for (const folder of ['sample', 'sample-2']) {
      const log = fs.readFileSync(path.join(out, folder, 'log.txt'), 'utf8');
      expect(log).toContain(`TITLE=<${args.title}>`);
      expect(log).toContain(`SHELL=<${args.shell}>`);
      expect(log).toContain(`EQ=<${args.eq}>`);
    }
    expect(fs.existsSync(marker)).toBe(false);

    // One crate per image folder: one action, that image, the macro, the arguments, ImageJ and Java.
    for (const [folder, input] of [['sample', sample], ['sample-2', zarr]] as const) {
      const dir = path.join(out, folder);
      const entities = graph(dir);
      const byId = new Map(entities.map((e) => [e['@id'], e]));
      const actions = entities.filter((e) => e['@type'] === 'CreateAction');
      expect(actions).toHaveLength(1);
      const [action] = actions;
      const objects = ids(action.object).map((id) => byId.get(id)!);
      const image = objects.find((o) => String(o.name).startsWith('images: '))!;
      if (input === sample) expect(image).toMatchObject({ '@type': 'File', sha256: sha256(sample) });
      else expect(image).toMatchObject({ '@type': 'Dataset', encodingFormat: { '@id': expect.stringMatching(/ngff/i) } });
      expect(objects.find((o) => String(o.name).startsWith('macro: '))).toMatchObject({ '@type': 'File', sha256: sha256(macro), text: macroText });
      expect(objects.find((o) => o.name === 'args')).toMatchObject({ '@type': 'PropertyValue', value: Object.entries(args).map(([k, v]) => `${k}=${v}`).join('\n') });
      const requirements = ids(byId.get(ids(action.instrument)[0])!.softwareRequirements).map((id) => byId.get(id)!);
      expect(requirements.find((s) => s.name === 'ImageJ')?.softwareVersion).toMatch(/^1\.\d\d[a-z]?$/);
      expect(requirements.find((s) => String(s.name).startsWith('Java'))?.softwareVersion).toMatch(/^\d+/);
      const [start, end] = [Date.parse(String(action.startTime)), Date.parse(String(action.endTime))];
      expect(started).toBeLessThanOrEqual(start);
      expect(start).toBeLessThanOrEqual(end);
      expect(end).toBeLessThanOrEqual(ended);
      // What the macro left: the mask (the changed input) as OME-Zarr, with its own FAIR crate, the Results, the log.
      expect(ids(action.result).sort()).toEqual(['log.txt', 'results.csv', 'sample.ome.zarr/']);
      expect(fs.existsSync(path.join(dir, 'sample.ome.zarr', 'ro-crate-metadata.json'))).toBe(true);
    }

    // The crate of the whole run (beside the output folder) lists the output and each image's folder.
    const top = graph(work).find((e) => e['@type'] === 'CreateAction')!;
    expect(ids(top.result).sort()).toEqual(['counted/', 'counted/sample-2/', 'counted/sample/']);

    // Every checksum in each image's crate holds (fairio's own check), and roc-validator accepts all three crates.
    for (const folder of ['sample', 'sample-2']) {
      const verify = await runInProcess(['crate', 'verify', path.join(out, folder)]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    }
    const verdicts = await rocValidate([path.join(out, 'sample'), path.join(out, 'sample-2'), work].map((c) => [c, 'process-run-crate-0.5', 'REQUIRED']));
    for (const v of verdicts) expect(v.passed, `${v.crate}\n${describeIssues(v)}`).toBe(true);
  }, 180_000); // ImageJ, roc-validator and a Python start: well under a minute alone, more on a loaded machine
});
