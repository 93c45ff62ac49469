/**
 * Two runs writing into one output folder never corrupt each other's
 * metadata: separate processes record into the same crate at the same time,
 * and every run of both ends up recorded, with a manifest that verifies.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './__fixtures__/images.js';
import { readCrate } from './reader.js';
import { recordRun } from './record.js';
import { verifyCrate } from './verify.js';
import { withCrateLock } from './lock.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./__fixtures__/record-many.ts', import.meta.url));

describe('concurrent runs into one folder', () => {
  it('records every run of two processes writing at the same time', async () => {
    const dir = tempDir();
    const count = 12;
    const children = ['a', 'b'].map((tag) => run(process.execPath, ['--import', 'tsx', script, dir, tag, String(count)], { cwd: path.dirname(script) }));
    while (!['a', 'b'].every((tag) => fs.existsSync(path.join(dir, `.ready-${tag}`)))) await new Promise((resolve) => setTimeout(resolve, 10));
    fs.writeFileSync(path.join(dir, '.go'), '');
    await Promise.all(children);
    for (const f of ['.go', '.ready-a', '.ready-b']) fs.rmSync(path.join(dir, f));
    const crate = await readCrate(dir);
    const names = crate.ofType('CreateAction').map((a) => String(a.name)).sort();
    expect(names).toHaveLength(2 * count);
    // The two processes really ran side by side: their spans of recording overlap.
    const span = (tag: string) => {
      const times = crate.ofType('CreateAction').filter((a) => String(a.name).startsWith(tag)).flatMap((a) => [Date.parse(String(a.startTime)), Date.parse(String(a.endTime))]);
      return [Math.min(...times), Math.max(...times)];
    };
    const [a, b] = [span('a'), span('b')];
    expect(a[0] < b[1] && b[0] < a[1], `a ${a}, b ${b}`).toBe(true);
    for (const tag of ['a', 'b']) for (let i = 0; i < count; i++) expect(names).toContain(`${tag} run ${i}`);
    expect(crate.follow(crate.root, 'hasPart').filter((e) => e['@id'].endsWith('.txt') && e['@id'] !== 'manifest-sha256.txt')).toHaveLength(2 * count);
    const report = await verifyCrate(dir);
    expect(report).toMatchObject({ ok: true, checked: 2 * count });
    // Nothing left behind: no lock, no temporary files.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.') || f.endsWith('.lock'))).toEqual([]);
  }, 60_000);

  it('breaks a lock left by a process that died', async () => {
    const dir = tempDir();
    const dead = await run(process.execPath, ['-e', 'console.log(process.pid)']).then((r) => Number(r.stdout));
    fs.writeFileSync(path.join(dir, 'ro-crate-metadata.json.lock'), JSON.stringify({ pid: dead, host: os.hostname(), token: 'x', since: new Date().toISOString() }));
    fs.writeFileSync(path.join(dir, 'out.txt'), 'x');
    await recordRun({ name: 'after a crash', tool: 'test', inputs: [], outputs: [path.join(dir, 'out.txt')], startTime: new Date() });
    expect((await readCrate(dir)).ofType('CreateAction')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'ro-crate-metadata.json.lock'))).toBe(false);
  });

  it('waits for a live lock holder and says who holds it when it gives up', async () => {
    const dir = tempDir();
    let release!: () => void;
    const held = withCrateLock(dir, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(withCrateLock(dir, async () => 'never', { timeoutMs: 200 })).rejects.toThrow(new RegExp(`crate is locked by process ${process.pid} on .* since`));
    const waiting = withCrateLock(dir, async () => 'got it', { timeoutMs: 5000 });
    release();
    await held;
    expect(await waiting).toBe('got it');
  });
});
