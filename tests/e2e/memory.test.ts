/**
 * Conversion streams: peak memory must not grow with the image. Two TIFFs with
 * the same plane size, one with 4 planes and one with 12× as many, convert in
 * separate processes; the larger one may not need meaningfully more memory.
 * (Memory, not time: no absolute timing is asserted.)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/reference.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-memory-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const ngff = path.join(projectRoot, 'ngff', 'dist', 'index.js');

/** Run a module snippet in a fresh Node process; it prints one JSON line. */
function node(code: string): unknown {
  return JSON.parse(execFileSync('node', ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim());
}

function makeTiff(file: string, planes: number): void {
  node(`
    import { writeTiff } from ${JSON.stringify(ngff)};
    function* planes() { for (let z = 0; z < ${planes}; z++) { const a = new Uint16Array(2048 * 2048); for (let i = 0; i < a.length; i++) a[i] = (i * 7 + z) & 4095; yield a; } }
    await writeTiff(${JSON.stringify(file)}, planes(), { width: 2048, height: 2048, dtype: 'uint16', planeCount: ${planes} });
    console.log('{}');`);
}

function peakMiB(input: string, output: string): number {
  const { maxRSS } = node(`
    import { convertTiff } from ${JSON.stringify(ngff)};
    await convertTiff(${JSON.stringify(input)}, ${JSON.stringify(output)}, { chunks: [1, 1024, 512], compressor: { id: 'none' }, levels: 2, workers: 2 });
    console.log(JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }));`) as { maxRSS: number };
  return maxRSS / 1024;
}

describe('conversion memory', () => {
  it('does not grow with the number of planes (32 MiB vs 384 MiB of pixels)', () => {
    makeTiff(path.join(work, 'small.tif'), 4);
    makeTiff(path.join(work, 'large.tif'), 48);
    const small = peakMiB(path.join(work, 'small.tif'), path.join(work, 'small.ome.zarr'));
    const large = peakMiB(path.join(work, 'large.tif'), path.join(work, 'large.ome.zarr'));
    console.log(`peak RSS: ${small.toFixed(0)} MiB for 32 MiB of pixels, ${large.toFixed(0)} MiB for 384 MiB`);
    // Holding one band per plane (a bug once) would add 48 × 4 MiB here.
    expect(large).toBeLessThan(small + 96);
    expect(large).toBeLessThan(512);
  }, 120_000);
});
