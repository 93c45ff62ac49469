/**
 * The three ops as analysis nodes: registered, described well enough for the
 * CLI and Galaxy (help with an example, citations, EDAM ids), and chained the
 * way the nuclei workflow chains them — threshold → label → measure —
 * through `runNode`, each run returning its record and summary counts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodes } from '../registry.js';
import { runNode, type RunRecord } from '../run.js';
import { syntheticZarr } from './__fixtures__/images.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-ops-nodes-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const node = (id: string) => {
  const found = nodes.find((n) => n.description.id === id);
  if (!found) throw new Error(`node ${id} is not registered`);
  return found;
};

describe('threshold, label and measure nodes', () => {
  let image: string;
  beforeAll(async () => {
    image = await syntheticZarr(work, { size: 256, depth: 3, chunk: 64 });
  });

  it.each(['threshold', 'label', 'measure'])('%s is registered with a full description', (id) => {
    const d = node(id).description;
    expect(d.command).toEqual([id]);
    expect(d.help).toMatch(/Example:\n {2}fairio /);
    expect(d.help.length).toBeGreaterThan(400);
    expect(d.edam?.operations.every((o) => /^operation_\d{4}$/.test(o))).toBe(true);
    expect(d.edam?.topics).toEqual(['topic_3383']);
    expect(d.citations?.every((c) => c.doi && /^10\.\d{4,}\//.test(c.doi))).toBe(true);
    expect(d.inputs.filter((i) => i.positional).length).toBe(1);
    expect(d.outputs.every((o) => o.positional)).toBe(true);
  });

  it('cites Otsu 1979 for the threshold', () => {
    expect(node('threshold').description.citations?.map((c) => c.doi)).toContain('10.1109/TSMC.1979.4310076');
  });

  it('run as the nuclei workflow: threshold → label → measure, with records and counts', async () => {
    const mask = path.join(work, 'mask.ome.zarr');
    const labels = path.join(work, 'labels.ome.zarr');
    const table = path.join(work, 'nuclei.csv');
    const records: RunRecord[] = [];
    const onRecord = async (r: RunRecord) => void records.push(r);

    const t = await runNode(node('threshold'), { inputs: { image }, parameters: { method: 'otsu', channel: '0' }, outputs: { mask }, workers: 1 }, { onRecord });
    expect(t.result.outputs).toEqual({ mask });
    expect(t.result.summary).toMatchObject({ method: 'otsu', channel: 0 });
    expect(t.result.summary?.threshold).toBeGreaterThan(100);
    expect(t.record.parameters).toEqual([
      { name: 'method', value: 'otsu' },
      { name: 'channel', value: 0 },
    ]);

    const l = await runNode(node('label'), { inputs: { mask }, parameters: {}, outputs: { labels }, workers: 1 }, { onRecord });
    expect(l.result.summary).toMatchObject({ connectivity: 3 });
    const count = l.result.summary?.labelCount as number;
    expect(count).toBeGreaterThan(5);

    const m = await runNode(node('measure'), { inputs: { labels, intensity: image }, parameters: { channel: 0 }, outputs: { table } }, { onRecord });
    expect(m.result.summary).toEqual({ labelCount: count });
    const rows = fs.readFileSync(table, 'utf8').trim().split('\n');
    expect(rows.length).toBe(count + 1);
    expect(rows[0]).toMatch(/^label,area,volume_micrometer\^3,centroid-0,centroid-1,centroid-2,centroid_z_micrometer,/);

    expect(records.map((r) => [r.node.id, r.status])).toEqual([
      ['threshold', 'completed'],
      ['label', 'completed'],
      ['measure', 'completed'],
    ]);
    expect(records[2].inputs).toEqual([
      { name: 'labels', path: labels },
      { name: 'intensity', path: image },
    ]);
  });

  it('a bad request yields a failed record with the error code', async () => {
    const records: RunRecord[] = [];
    await expect(
      runNode(node('threshold'), { inputs: { image }, parameters: { method: 'manual', channel: 0 }, outputs: { mask: path.join(work, 'never.ome.zarr') } }, { onRecord: async (r) => void records.push(r) }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(records[0]).toMatchObject({ status: 'failed', error: { code: 'INVALID_ARGUMENT' } });
    await expect(runNode(node('label'), { inputs: { mask: image }, parameters: { connectivity: 4 }, outputs: { labels: path.join(work, 'x.ome.zarr') } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
