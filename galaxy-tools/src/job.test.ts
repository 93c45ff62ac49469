import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTool } from './catalogue.js';
import { omeZarrStore, planJob, safeFileName, stage } from './job.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-job-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const dataset = (file: string, ext: string, identifier = path.basename(file)) => ({ element_identifier: identifier, ext, source_path: file, staging_path: identifier, metadata_files: [] });

describe('planJob', () => {
  it('builds the ordinary fairio command: options as --name=value, positional paths after --', () => {
    const plan = planJob(
      findTool('threshold')!,
      { image: dataset('/galaxy/objects/dataset_1.dat', 'ome_zarr.zip', 'cells.ome.zarr.zip'), method: 'manual', value: 0.5, channel: null, fair: { license: 'CC-BY-4.0', organism: null } },
      { workDir: '/job', outputs: { mask: '/galaxy/objects/dataset_2.dat', crate: '/galaxy/objects/dataset_3.dat' }, outputDirs: { mask: '/galaxy/objects/dataset_2_files' }, workers: 4 },
    );
    expect(plan.argv).toEqual(['threshold', '--method=manual', '--value=0.5', '--license=CC-BY-4.0', '--workers=4', '--quiet', '--', '/job/inputs/image/cells.ome.zarr.zip', '/job/outputs/mask.ome.zarr']);
    expect(plan.staging).toEqual([{ kind: 'link', at: '/job/inputs/image/cells.ome.zarr.zip', target: '/galaxy/objects/dataset_1.dat' }]);
    expect(plan.outputs).toEqual([{ name: 'mask', produced: '/job/outputs/mask.ome.zarr', dataset: '/galaxy/objects/dataset_2.dat', extraFiles: '/galaxy/objects/dataset_2_files' }]);
  });

  it('turns booleans into the CLI flags, --no-x when the default is on', () => {
    const plan = planJob(
      findTool('classify_predict')!,
      { classifier: dataset('/d/1.dat', 'json', 'my classifier'), image: dataset('/d/2.dat', 'tiff', 'a.tif'), probabilities: true, segmentation: false, ngff: '0.4' },
      { workDir: '/job', outputs: { output: '/d/3.dat' }, outputDirs: { output: '/d/3_files' } },
    );
    expect(plan.argv).toEqual(['classify', 'predict', '--classifier=/job/inputs/classifier/my_classifier.fairio-rf', '--probabilities', '--no-segmentation', '--ngff=0.4', '--quiet', '--', '/job/inputs/image/a.tiff', '/job/outputs/output.ome.zarr']);
  });

  it('writes a pasted macro to a file and stages a collection under its element identifiers', () => {
    const plan = planJob(
      findTool('imagej-macro')!,
      { macro: { source: 'text', text: 'print("hi");' }, images: [dataset('/d/1.dat', 'tiff', 'cell 1.tif'), dataset('/d/2.dat', 'ome_zarr.zip', 'cell 1.tif')], args: null, timeout: 60, memory: null, level: 0, region: null },
      { workDir: '/job', outputs: { output: '/d/3.dat' } },
    );
    expect(plan.staging).toEqual([
      { kind: 'text', at: '/job/inputs/macro/macro.ijm', text: 'print("hi");' },
      { kind: 'link', at: '/job/inputs/images/cell_1.tiff', target: '/d/1.dat' },
      { kind: 'link', at: '/job/inputs/images/cell_1-2.ome.zarr.zip', target: '/d/2.dat' },
    ]);
    expect(plan.argv).toEqual(['macro', 'run', '--input=/job/inputs/images/cell_1.tiff', '--input=/job/inputs/images/cell_1-2.ome.zarr.zip', '--timeout=60', '--level=0', '--outdir=/job/outputs/output', '--quiet', '--', '/job/inputs/macro/macro.ijm']);
    expect(plan.outputs[0]).toMatchObject({ name: 'output', zip: true });
  });

  it('passes a model URL through and reads report commands from their standard output', () => {
    const predict = planJob(
      findTool('bioimageio_predict')!,
      { model: { source: 'url', url: 'https://example.org/model/rdf.yaml' }, image: dataset('/d/1.dat', 'ome_zarr.zip'), tile: null, device: 'cpu', channels: '0', output: null, ngff: '0.5' },
      { workDir: '/job', outputs: { prediction: '/d/2.dat' }, outputDirs: { prediction: '/d/2_files' } },
    );
    expect(predict.argv.slice(0, 2)).toEqual(['predict', '--model=https://example.org/model/rdf.yaml']);
    const info = planJob(findTool('info')!, { location: dataset('/d/1.dat', 'ome_zarr.zip') }, { workDir: '/job', outputs: { report: '/d/2.dat' } });
    expect(info.argv).toEqual(['info', '--json', '--quiet', '--', '/job/inputs/location/1.ome.zarr.zip']);
    expect(info.outputs).toEqual([{ name: 'report', produced: '/job/outputs/report.json', dataset: '/d/2.dat', stdout: true }]);
  });

  it('keeps hostile text as one verbatim argument, and a list (one value per line) as one argument per line', () => {
    const hostile = "'; rm -rf / #\n$(id) `id` --overwrite";
    const plan = planJob(
      findTool('imagej-macro')!,
      { macro: { source: 'text', text: hostile }, images: [dataset('/d/1.dat', 'tiff')], args: "a='; rm -rf / #\r\n\nb=$(id) `id` --overwrite\n", timeout: 600, level: 0, fair: { description: hostile } },
      { workDir: '/job', outputs: { output: '/d/3.dat' } },
    );
    expect(plan.argv.filter((a) => a.startsWith('--arg='))).toEqual(["--arg=a='; rm -rf / #", '--arg=b=$(id) `id` --overwrite']);
    expect(plan.argv).toContain(`--description=${hostile}`);
    expect(plan.staging[0]).toEqual({ kind: 'text', at: '/job/inputs/macro/macro.ijm', text: hostile });
  });

  it('refuses parameters the form does not offer (which ImageJ runs is not a user\'s choice)', () => {
    const tool = findTool('imagej-macro')!;
    expect(() => planJob(tool, { macro: { source: 'text', text: 'x' }, images: [dataset('/d/1.dat', 'tiff')], imagej: '/tmp/evil.jar' }, { workDir: '/job', outputs: { output: '/d/3.dat' } })).toThrow(/unknown input "imagej"/);
  });

  it('refuses unknown inputs, missing outputs and bare paths where datasets belong', () => {
    const tool = findTool('label')!;
    const outputs = { labels: '/d/2.dat' };
    expect(() => planJob(tool, { mask: dataset('/d/1.dat', 'ome_zarr.zip'), conectivity: 1 }, { workDir: '/job', outputs, outputDirs: { labels: '/d/2_files' } })).toThrow(/unknown input "conectivity"/);
    expect(() => planJob(tool, { mask: dataset('/d/1.dat', 'ome_zarr.zip') }, { workDir: '/job', outputs: {} })).toThrow(/no Galaxy path for output "labels"/);
    expect(() => planJob(tool, { mask: '/d/1.dat' }, { workDir: '/job', outputs, outputDirs: { labels: '/d/2_files' } })).toThrow(/not a dataset description/);
  });
});

describe('staging', () => {
  it('finds the store of an ome_zarr dataset in its extra files, at the root or in its one folder', () => {
    const root = path.join(work, 'objects');
    fs.mkdirSync(path.join(root, 'dataset_1_files'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dataset_1.dat'), '');
    fs.writeFileSync(path.join(root, 'dataset_1_files', 'zarr.json'), '{}');
    expect(omeZarrStore(path.join(root, 'dataset_1.dat'))).toBe(path.join(root, 'dataset_1_files'));
    fs.mkdirSync(path.join(root, 'dataset_2_files', 'cells.zarr'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dataset_2_files', 'cells.zarr', '.zattrs'), '{}');
    expect(omeZarrStore(path.join(root, 'dataset_2.dat'))).toBe(path.join(root, 'dataset_2_files', 'cells.zarr'));
    expect(() => omeZarrStore(path.join(root, 'dataset_3.dat'))).toThrow(/no extra files folder/);

    const plan = planJob(findTool('info')!, { location: dataset(path.join(root, 'dataset_2.dat'), 'ome_zarr', 'cells') }, { workDir: path.join(work, 'job'), outputs: { report: path.join(work, 'r.json') } });
    stage(plan);
    expect(fs.realpathSync(path.join(work, 'job', 'inputs', 'location', 'cells.ome.zarr'))).toBe(path.join(root, 'dataset_2_files', 'cells.zarr'));
  });

  it('makes safe file names from element identifiers', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('etc_passwd');
    expect(safeFileName('cells 1.ome.tiff', 'x')).toBe('cells_1');
    expect(safeFileName('', 'image-1')).toBe('image-1');
    expect(safeFileName("'; rm -rf / #", 'x')).toBe('rm_-rf_');
  });
});
