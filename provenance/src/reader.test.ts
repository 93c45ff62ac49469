/**
 * Bad input to the reader gets a clear error and writes nothing outside its
 * target: invalid JSON-LD, @ids escaping the crate root, zips with path
 * traversal, zip bombs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isFairioError } from '@fairio/ngff';
import { makeInput, tempDir } from './__fixtures__/images.js';
import { escapesCrate, extractCrate, readCrate } from './reader.js';
import { recordRun } from './record.js';
import { verifyCrate } from './verify.js';
import { crc32, zipFolder, ZipReader } from './zip.js';

const descriptor = { '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' }, about: { '@id': './' } };
const root = { '@id': './', '@type': 'Dataset', name: 'x', description: 'x', license: 'CC0-1.0', datePublished: '2024-01-01' };

function crateWith(metadata: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'ro-crate-metadata.json'), typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isFairioError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a failure');
}

describe('reading crate metadata', () => {
  const graph = (...extra: object[]) => ({ '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': [descriptor, root, ...extra] });

  it.each([
    ['not JSON', '{"@graph": [', 'INVALID_JSON', /is not valid JSON/],
    ['a JSON array', '[]', 'INVALID_METADATA', /is not a JSON-LD object/],
    ['no @context', { '@graph': [descriptor, root] }, 'INVALID_METADATA', /has no "@context"/],
    ['no @graph', { '@context': 'https://w3id.org/ro/crate/1.1/context' }, 'INVALID_METADATA', /has no "@graph" array/],
    ['an entity without @id', { '@context': 'x', '@graph': [descriptor, root, { '@type': 'File' }] }, 'INVALID_METADATA', /"@graph" item 3 has no string "@id"/],
    ['a duplicate @id', graph({ '@id': './', '@type': 'Dataset' }), 'INVALID_METADATA', /"\.\/" appears twice/],
    ['no descriptor', { '@context': 'x', '@graph': [root] }, 'INVALID_METADATA', /has no metadata descriptor/],
    ['a descriptor about nothing', { '@context': 'x', '@graph': [{ ...descriptor, about: { '@id': 'elsewhere/' } }, root] }, 'INVALID_METADATA', /is about "elsewhere\/", which is not in "@graph"/],
  ])('refuses %s', async (_what, metadata, code, message) => {
    const error = await failure(readCrate(crateWith(metadata)));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/ro-crate-metadata\.json/);
  });

  it.each([
    ['../../etc/passwd', 'climbs above the crate root'],
    ['data/../../../etc/passwd', 'climbs above the crate root'],
    ['%2e%2e/%2e%2e/etc/passwd', 'climbs above the crate root'],
    ['/etc/passwd', 'is an absolute path'],
    ['file:///etc/passwd', 'is a file: URL'],
    ['C:\\Windows\\win.ini', 'starts with a drive letter'],
  ])('refuses an @id escaping the crate root: %s', async (id, why) => {
    for (const metadata of [graph({ '@id': id, '@type': 'File' }), graph({ '@id': 'a.txt', '@type': 'File', isPartOf: { '@id': id } })]) {
      const error = await failure(readCrate(crateWith(metadata)));
      expect(error.code).toBe('UNSAFE_INPUT');
      expect(error.message).toContain(why);
      expect(error.message).toContain(JSON.stringify(id));
    }
  });

  it('never reads a file an escaping @id names (verify refuses before hashing)', async () => {
    const dir = crateWith(graph({ '@id': '../../../../../../etc/hostname', '@type': 'File', sha256: '0'.repeat(64) }));
    expect((await failure(verifyCrate(dir))).code).toBe('UNSAFE_INPUT');
  });

  it('accepts what stays inside or names no local file', () => {
    for (const id of ['./', 'a/b/../c.txt', '#run-1', 'https://orcid.org/0000-0002-1825-0097', 'NCBI:txid9606', 'obo:FBbi_00000246', 'a%20b.tif']) expect(escapesCrate(id), id).toBeUndefined();
  });
});

// ------------------------------------------------------------ zips

interface RawEntry {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Lie about the uncompressed size in the directory. */
  declaredSize?: number;
}

/** A zip built byte by byte, so that tests can make the broken ones real tools refuse to write. */
function rawZip(entries: RawEntry[], options: { duplicateFirstAs?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const central = (e: RawEntry, name: Buffer, body: Buffer, at: number) => {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crc32(e.data), 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    return Buffer.concat([c, name]);
  };
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(e.deflate ? 8 : 0, 8);
    h.writeUInt32LE(crc32(e.data), 14);
    h.writeUInt32LE(body.length, 18);
    h.writeUInt32LE(e.declaredSize ?? e.data.length, 22);
    h.writeUInt16LE(name.length, 26);
    locals.push(h, name, body);
    centrals.push(central(e, name, body, offset));
    if (options.duplicateFirstAs && centrals.length === 1) centrals.push(central(e, Buffer.from(options.duplicateFirstAs), body, offset));
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const metadataEntry = (): RawEntry => ({ name: 'ro-crate-metadata.json', data: Buffer.from(JSON.stringify({ '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': [descriptor, root] })) });

function snapshot(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }) as string[];
}

describe('reading crate zips', () => {
  it('round-trips a crate folder through zip and extraction', async () => {
    const dir = tempDir();
    const input = makeInput(path.join(dir, 'cells.tif'), 100_000);
    fs.writeFileSync(path.join(dir, 'notes.md'), '# notes\n'.repeat(100));
    await recordRun({ name: 'x', tool: 'convert', inputs: [input, path.join(dir, 'notes.md')], outputs: [], startTime: new Date() }, { crateDir: dir });
    const zip = path.join(tempDir(), 'crate.zip');
    await zipFolder(dir, zip);
    const crate = await readCrate(zip);
    expect(crate.kind).toBe('zip');
    expect(crate.get('cells.tif')?.sha256).toBeDefined();
    const target = path.join(tempDir(), 'extracted');
    await extractCrate(zip, target);
    expect(fs.readFileSync(path.join(target, 'cells.tif'))).toEqual(fs.readFileSync(input));
    expect((await verifyCrate(target)).ok).toBe(true);
  });

  it.each([
    ['a ../ path', '../evil.txt', /climbs out of the archive/],
    ['a nested ../ path', 'data/../../evil.txt', /climbs out of the archive/],
    ['an absolute path', '/tmp/evil.txt', /is an absolute path/],
    ['a backslash path', '..\\evil.txt', /climbs out of the archive/],
    ['a drive letter', 'C:/evil.txt', /starts with a drive letter/],
  ])('refuses an entry with %s and writes nothing', async (_what, name, message) => {
    const parent = tempDir();
    const zip = path.join(parent, 'bad.zip');
    fs.writeFileSync(zip, rawZip([metadataEntry(), { name, data: Buffer.from('pwned') }]));
    const before = snapshot(parent);
    const target = path.join(parent, 'target');
    for (const attempt of [() => readCrate(zip), () => extractCrate(zip, target)]) {
      const error = await failure(attempt());
      expect(error.code).toBe('UNSAFE_INPUT');
      expect(error.message).toMatch(message);
      expect(error.message).toContain('bad.zip');
    }
    expect(snapshot(parent)).toEqual(before);
    expect(fs.existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('refuses a zip bomb by compression ratio before inflating anything', async () => {
    const parent = tempDir();
    const zip = path.join(parent, 'bomb.zip');
    fs.writeFileSync(zip, rawZip([metadataEntry(), { name: 'zeros.bin', data: Buffer.alloc(64 << 20), deflate: true }]));
    expect(fs.statSync(zip).size).toBeLessThan(200_000);
    const error = await failure(extractCrate(zip, path.join(parent, 'target')));
    expect(error).toMatchObject({ code: 'UNSAFE_INPUT' });
    expect(error.message).toMatch(/zeros.bin" expands \d+-fold, more than the 200-fold accepted \(a zip bomb\?\)/);
    expect(snapshot(parent)).toEqual(['bomb.zip']);
  });

  it('stops inflating an entry that yields more than it declares, and leaves no partial output', async () => {
    const parent = tempDir();
    const zip = path.join(parent, 'liar.zip');
    fs.writeFileSync(zip, rawZip([metadataEntry(), { name: 'small.bin', data: Buffer.alloc(4 << 20, 7), deflate: true, declaredSize: 1000 }]));
    const error = await failure(extractCrate(zip, path.join(parent, 'target')));
    expect(error.message).toMatch(/"small.bin" expands beyond the 1000 bytes it declares/);
    expect(snapshot(parent)).toEqual(['liar.zip']);
  });

  it('refuses overlapping entries, too many entries and too many bytes', async () => {
    const parent = tempDir();
    const overlapping = path.join(parent, 'overlap.zip');
    fs.writeFileSync(overlapping, rawZip([{ name: 'a.bin', data: Buffer.alloc(1000, 1) }, metadataEntry()], { duplicateFirstAs: 'b.bin' }));
    expect((await failure(readCrate(overlapping))).message).toMatch(/overlap \(a zip bomb\?\)/);
    const many = path.join(parent, 'many.zip');
    fs.writeFileSync(many, rawZip([metadataEntry(), ...Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') }))]));
    expect((await failure(readCrate(many, { zipLimits: { maxEntries: 10 } }))).message).toMatch(/has 21 entries, more than the 10 accepted/);
    expect((await failure(readCrate(many, { zipLimits: { maxTotalBytes: 100 } }))).message).toMatch(/expands to more than 100 bytes/);
  });

  it('refuses what is not a zip, encrypted entries and corrupt data', async () => {
    const parent = tempDir();
    const notZip = path.join(parent, 'x.zip');
    fs.writeFileSync(notZip, 'hello, this is text');
    expect((await failure(readCrate(notZip))).message).toMatch(/is not a zip archive/);
    const corrupt = path.join(parent, 'corrupt.zip');
    const bytes = rawZip([metadataEntry(), { name: 'data.bin', data: Buffer.from('some bytes that will be damaged') }]);
    bytes[30 + 'ro-crate-metadata.json'.length + metadataEntry().data.length + 30 + 'data.bin'.length + 3] ^= 0xff;
    fs.writeFileSync(corrupt, bytes);
    expect((await failure(extractCrate(corrupt, path.join(parent, 'target')))).message).toMatch(/"data.bin" fails its CRC check/);
    const encrypted = path.join(parent, 'encrypted.zip');
    const e = rawZip([metadataEntry()]);
    e.writeUInt16LE(0x0801, e.length - 22 - 46 - 'ro-crate-metadata.json'.length + 8);
    fs.writeFileSync(encrypted, e);
    expect((await failure(ZipReader.open(encrypted))).message).toMatch(/is encrypted/);
    expect(snapshot(parent).sort()).toEqual(['corrupt.zip', 'encrypted.zip', 'x.zip']);
  });
});
