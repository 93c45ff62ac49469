/**
 * recordRun as a command uses it: a conversion leaves a FAIR Image Object
 * crate inside the OME-Zarr and a Process Run Crate in the output folder; a
 * failed run still leaves a crate that says what failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { makeImage, makeInput, tempDir } from './__fixtures__/images.js';
import { idsOf, type Entity } from './builder.js';
import { describeData, DigestCache } from './data-entities.js';
import { hashFile, hashingStream, listFiles } from './hash.js';
import { readCrate } from './reader.js';
import { recordRun } from './record.js';
import { validateCrate } from './validate/index.js';

const jane = { name: 'Jane Doe', orcid: '0000-0002-1825-0097' };

async function convertAndRecord() {
  const dir = tempDir();
  const input = makeInput(path.join(dir, 'cells.tif'));
  const output = path.join(dir, 'out', 'cells.ome.zarr');
  fs.mkdirSync(path.dirname(output));
  const started = new Date();
  await makeImage(output);
  const recorded = await recordRun(
    {
      name: 'Convert cells.tif to OME-Zarr',
      tool: 'convert',
      inputs: [input],
      parameters: [{ name: 'ngff', value: '0.5' }, { name: 'chunks', value: '1,32,32' }],
      outputs: [output],
      agent: jane,
      startTime: started,
    },
    { images: { [output]: { license: 'CC-BY-4.0', organism: 'NCBITaxon:9606', imagingMethod: 'FBbi:00000246', creators: [jane] } } },
  );
  return { dir, input, output, recorded };
}

describe('recordRun', () => {
  it('records a conversion in the output folder: action, software, data with sha256, parameters', async () => {
    const { dir, output, recorded } = await convertAndRecord();
    expect(recorded.crateDir).toBe(path.join(dir, 'out'));
    const crate = await readCrate(recorded.crateDir);
    const action = crate.get(recorded.actionId)!;
    expect(action['@type']).toBe('CreateAction');
    expect(action.actionStatus).toBe('http://schema.org/CompletedActionStatus');
    expect(action.startTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    expect(idsOf(crate.root.mentions)).toContain(recorded.actionId);
    // instrument: fairio, requiring Node.js
    const [tool] = crate.follow(action, 'instrument');
    expect(tool.name).toBe('fairio convert');
    expect(tool.url).toMatch(/^https:\/\//);
    expect(crate.follow(tool, 'softwareRequirements').map((s) => s.name)).toEqual(['Node.js']);
    // object: the input (outside the crate folder, so by content) and the parameters
    const objects = crate.follow(action, 'object');
    const input = objects.find((o) => o['@type'] === 'File')!;
    expect(input['@id']).toMatch(/^#file-[0-9a-f]{16}$/);
    expect(input).toMatchObject({ name: 'cells.tif', encodingFormat: 'image/tiff', contentSize: '4096' });
    expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(objects.filter((o) => o['@type'] === 'PropertyValue').map((p) => [p.name, p.value])).toEqual([
      ['ngff', '0.5'],
      ['chunks', '1,32,32'],
    ]);
    // result: the OME-Zarr as a Dataset in NGFF format
    const [result] = crate.follow(action, 'result');
    expect(result['@id']).toBe('cells.ome.zarr/');
    expect(idsOf(result.encodingFormat)).toEqual(['https://ngff.openmicroscopy.org/']);
    expect(Number(result.contentSize)).toBeGreaterThan(0);
    // agent with ORCID
    expect(crate.follow(action, 'agent')[0]).toMatchObject({ '@id': 'https://orcid.org/0000-0002-1825-0097', '@type': 'Person', name: 'Jane Doe' });
    expect(fs.existsSync(path.join(output, 'ro-crate-metadata.json'))).toBe(true);
    const report = await validateCrate(recorded.crateDir);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.profiles).toEqual(['ro-crate', 'process']);
  });

  it('writes FAIR Image Object metadata in the shape the NGFF challenge and the OME-NGFF validator read', async () => {
    const { output, recorded } = await convertAndRecord();
    const json = JSON.parse(fs.readFileSync(path.join(output, 'ro-crate-metadata.json'), 'utf8')) as { '@context': unknown[]; '@graph': Entity[] };
    const graph = json['@graph'];
    // The OME-NGFF validator takes the first entity with each key, and the license as a string.
    expect(graph.find((e) => e.name)?.['@id']).toBe('./');
    expect(graph.find((e) => e.license)?.license).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect((graph.find((e) => e['@type'] === 'biosample')?.organism_classification as { '@id': string })['@id']).toBe('NCBI:txid9606');
    expect((graph.find((e) => e['@type'] === 'image_acquisition')?.fbbi_id as { '@id': string })['@id']).toBe('obo:FBbi_00000246');
    expect(json['@context'][1]).toMatchObject({ organism_classification: 'https://schema.org/taxonomicRange', obo: 'http://purl.obolibrary.org/obo/' });
    const crate = await readCrate(output);
    expect(crate.follow(crate.root, 'resultOf')[0]['@id']).toBe('#image-acquisition');
    const properties = Object.fromEntries(crate.follow(crate.root, 'additionalProperty').map((p) => [p.name, [p.value, p.unitText]]));
    expect(properties).toMatchObject({
      axes: ['c,y,x', undefined],
      'size x': [64, 'pixels'],
      'physical size x': [0.325, 'micrometer'],
      'channel 0': ['DAPI', undefined],
      'channel 1': ['GFP', undefined],
      'data type': ['uint16', undefined],
    });
    // ...and how it was made: the same run, its result the image itself.
    const action = crate.get(recorded.actionId)!;
    expect(idsOf(action.result)).toEqual(['./']);
    expect(crate.root.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(crate.follow(crate.root, 'author')[0].name).toBe('Jane Doe');
  });

  it('leaves a crate that says what failed when a run fails', async () => {
    const dir = tempDir();
    const input = makeInput(path.join(dir, 'broken.tif'), 10);
    const recorded = await recordRun({ name: 'Convert broken.tif', tool: 'convert', inputs: [input], outputs: [path.join(dir, 'broken.ome.zarr')], startTime: new Date(), error: new Error('broken.tif: not a TIFF (bad byte-order mark)') });
    expect(recorded.failed).toBe(true);
    const crate = await readCrate(dir);
    const action = crate.get(recorded.actionId)!;
    expect(action.actionStatus).toBe('http://schema.org/FailedActionStatus');
    expect(action.error).toBe('broken.tif: not a TIFF (bad byte-order mark)');
    expect(action.result).toBeUndefined();
    expect(crate.follow(action, 'object')[0]).toMatchObject({ '@id': 'broken.tif', name: 'broken.tif' });
    expect(fs.readFileSync(path.join(dir, 'ro-crate-preview.html'), 'utf8')).toContain('broken.tif: not a TIFF');
    expect((await validateCrate(dir)).valid).toBe(true);
  });

  it('renders a preview a person can read: what ran, when, with what, on what, producing what, with thumbnails', async () => {
    const { output, recorded } = await convertAndRecord();
    const html = fs.readFileSync(path.join(recorded.crateDir, 'ro-crate-preview.html'), 'utf8');
    expect(html).toContain('Convert cells.tif to OME-Zarr');
    expect(html).toMatch(/fairio convert<\/a> 0\.\d+\.\d+/);
    expect(html).toContain('Node.js');
    expect(html).toContain('cells.tif');
    expect(html).toContain('chunks</span> = <code>1,32,32</code>');
    expect(html).toContain('cells.ome.zarr');
    expect(html).toMatch(/<img class="thumb" alt="thumbnail of cells.ome.zarr" src="data:image\/png;base64,iVBORw0KGgo/);
    const own = fs.readFileSync(path.join(output, 'ro-crate-preview.html'), 'utf8');
    expect(own).toContain('NCBI:txid9606');
    expect(own).toContain('obo:FBbi_00000246');
    expect(own).toContain('physical size x');
  });
});

describe('reading each file once', () => {
  it('hashes every byte of a conversion exactly once, for both crates', async () => {
    const dir = tempDir();
    const input = makeInput(path.join(dir, 'cells.tif'), 50_000);
    const output = await makeImage(path.join(dir, 'cells.ome.zarr'));
    const cache = new DigestCache();
    await recordRun({ name: 'convert', tool: 'convert', inputs: [input], outputs: [output], startTime: new Date() }, { cache, images: { [output]: { license: 'CC0-1.0' } } });
    // Payload on disk now: the input, the pixels, and the image crate's own three files.
    const files = (await listFiles(dir)).filter((f) => !['ro-crate-metadata.json', 'ro-crate-preview.html', 'manifest-sha256.txt'].includes(f));
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    expect(cache.reads).toEqual({ files: files.length, bytes });
  });

  it('hashes a file while it is written, so it need not be read back', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.bin');
    const hashing = hashingStream();
    await pipeline(Readable.from([Buffer.alloc(100_000, 1), Buffer.alloc(50_000, 2)]), hashing, fs.createWriteStream(file));
    const cache = new DigestCache();
    cache.remember(file, hashing.digest());
    const described = await describeData(dir, file, { cache });
    expect(cache.reads.files).toBe(0);
    expect(described.entity.sha256).toBe((await hashFile(file)).sha256);
    expect(described.entity.contentSize).toBe('150000');
  });
});
