/**
 * `npm run test-data -w galaxy-tools`: write the small files the tools'
 * `<tests>` use into `tools/test-data/`, each made by fairio itself from its
 * bundled synthetic sample (64 × 64 pixels, two channels, one plane):
 *
 * - `sample.ome.tiff` — `fairio sample`
 * - `cells.ome.zarr.zip` — the sample converted and zipped (OME-NGFF 0.5)
 * - `mask.ome.zarr.zip`, `labels.ome.zarr.zip` — threshold and label of channel 0
 * - `scribbles.tiff` — sparse training labels (every 5th pixel: 1 inside the mask, 2 outside)
 * - `cells.fairio-rf.json` — a classifier trained on them (10 trees, two features)
 * - `nuclei-demo.zip` — fairio's demo bioimage.io model
 * - `run.crate.zip` — the RO-Crate of a threshold run
 *
 * Requires the built CLI (`npx tsc -b`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openOmeZarr, readBox, writeTiff } from '@fairio/ngff';
import { TOOLS_DIR } from './generate.js';

const out = path.join(TOOLS_DIR, 'test-data');
const cli = path.resolve(TOOLS_DIR, '..', '..', 'cli', 'dist', 'bin.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-test-data-'));
const fairio = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const at = (name: string) => path.join(work, name);

try {
  fs.mkdirSync(out, { recursive: true });
  fairio('sample', at('sample.ome.tiff'), '--size', '64', '--depth', '1');
  // Each image keeps the FAIR Image Object crate at its root, so `fairio crate zip` packs it.
  fairio('convert', at('sample.ome.tiff'), at('cells.ome.zarr'), '--license', 'CC0-1.0', '--workers', '1');
  fairio('threshold', at('cells.ome.zarr'), at('mask.ome.zarr'), '--channel', '0', '--license', 'CC0-1.0', '--workers', '1');
  fairio('label', at('mask.ome.zarr'), at('labels.ome.zarr'), '--license', 'CC0-1.0', '--workers', '1');

  // Sparse labels from the mask: every 5th pixel of each row and column, 1 = nucleus, 2 = background.
  const group = await openOmeZarr(at('mask.ome.zarr'));
  if (group.kind !== 'image') throw new Error('the mask is not an image');
  const level = (await group.image()).levels[0];
  const pixels = (await readBox(level.array, level.shape.map(() => 0), level.shape, 'mask')) as Uint8Array;
  const [h, w] = level.shape.slice(-2);
  const scribbles = new Uint8Array(h * w);
  for (let y = 0; y < h; y += 5) for (let x = 0; x < w; x += 5) scribbles[y * w + x] = pixels[y * w + x] ? 1 : 2;
  await writeTiff(at('scribbles.tiff'), [scribbles], { width: w, height: h, dtype: 'uint8', planeCount: 1 });

  fairio('classify', 'train', '--image', at('sample.ome.tiff'), '--labels', at('scribbles.tiff'), '-o', at('cells.fairio-rf'), '--features', 'gs,ggm', '--scales', '0.7,1.6', '--trees', '10', '--seed', '1', '--class-names', 'nucleus,background', '--workers', '1');
  execFileSync(process.execPath, [cli, 'model', 'package', '--demo', '-o', at('nuclei-demo.zip')], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.mkdirSync(at('run'));
  fairio('threshold', at('cells.ome.zarr'), at('run/mask.ome.zarr'), '--channel', '0', '--license', 'CC-BY-4.0', '--workers', '1');
  fairio('crate', 'zip', at('run'), at('run.crate.zip'));
  for (const name of ['cells', 'mask', 'labels']) fairio('crate', 'zip', at(`${name}.ome.zarr`), at(`${name}.ome.zarr.zip`));

  const copies: [string, string][] = [
    ['sample.ome.tiff', 'sample.ome.tiff'],
    ['cells.ome.zarr.zip', 'cells.ome.zarr.zip'],
    ['mask.ome.zarr.zip', 'mask.ome.zarr.zip'],
    ['labels.ome.zarr.zip', 'labels.ome.zarr.zip'],
    ['scribbles.tiff', 'scribbles.tiff'],
    ['cells.fairio-rf', 'cells.fairio-rf.json'],
    ['nuclei-demo.zip', 'nuclei-demo.zip'],
    ['run.crate.zip', 'run.crate.zip'],
  ];
  for (const [from, to] of copies) fs.copyFileSync(at(from), path.join(out, to));
  for (const [, to] of copies) process.stdout.write(`${to}\t${fs.statSync(path.join(out, to)).size} bytes\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
