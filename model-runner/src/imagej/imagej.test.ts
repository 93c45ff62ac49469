/**
 * The ImageJ macro node with a real ImageJ (Debian's ij.jar under xvfb-run),
 * compared with independent references: ImageJ run by hand on the same file,
 * scikit-image's connected components on the mask the macro made (read back
 * with zarr-python), and the calibration ImageJ itself reports. Failures —
 * a syntax error, an unknown command, an endless loop, ImageJ killed under
 * the macro — end within the time limit with ImageJ's message, leave no
 * ImageJ process and no output behind. Parameters full of shell syntax reach
 * the macro verbatim and nothing runs them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arraySource, convertTiff, openOmeZarr, writeImage } from '@fairio/ngff';
import { hasPython, missing, pythonJson, shared, hasSharedData } from '../../../tests/helpers/reference.js';
import { hasImageJ } from '../../../tests/helpers/imagej.js';
import { runNode } from '../run.js';
import { DEBIAN_IJ_JAR } from './locate.js';
import { imagejMacroNode } from './node.js';
import { runMacro } from './run-macro.js';

const skip = missing('ImageJ (Debian imagej + xvfb + a JDK)', hasImageJ) || missing('shared reference data', hasSharedData) || missing('Python reference tools (.venv)', hasPython);

/** A macro as Fiji's recorder writes it: blur, auto-threshold, mask, Analyze Particles with display. */
const RECORDED = ['run("Gaussian Blur...", "sigma=2");', 'setAutoThreshold("Default dark");', '//run("Threshold...");', 'run("Convert to Mask");', 'run("Analyze Particles...", "display clear");', ''].join('\n');

/** Live processes (zombies excluded) whose command line mentions `text`. */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
      if (cmdline.includes(text) && state !== 'Z') found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe.skipIf(skip)('ImageJ macro node with a real ImageJ', () => {
  let tmp: string;
  const sample = shared('samples', 'tiff', 'sample.tiff');
  const nuclei = shared('samples', 'tiff', 'BBBC033_C2_z28-lzw.tiff');
  const write = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-imagej-test-')));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a recorded macro gives the same Results CSV on sample.tiff, on it as OME-Zarr, and in ImageJ run by hand', async () => {
    const zarr = path.join(tmp, 'sample.ome.zarr');
    await convertTiff(sample, zarr, { workers: 0 });
    const macro = write('recorded.ijm', RECORDED);
    const output = path.join(tmp, 'recorded-out');
    const { result, record } = await runNode(imagejMacroNode, {
      inputs: { macro, images: [sample, zarr] },
      parameters: { imagej: DEBIAN_IJ_JAR, timeout: 60 },
      outputs: { output },
    });
    const fromTiff = fs.readFileSync(path.join(output, 'sample', 'results.csv'), 'utf8');
    const fromZarr = fs.readFileSync(path.join(output, 'sample-2', 'results.csv'), 'utf8');
    expect(fromZarr).toBe(fromTiff);

    // Plain ImageJ, by hand: open the file, the same commands, save the Results.
    const byHand = path.join(tmp, 'by-hand.csv');
    const plain = write('by-hand.ijm', `open(${JSON.stringify(sample)});\n${RECORDED}saveAs("Results", ${JSON.stringify(byHand)});\n`);
    const home = path.join(tmp, 'by-hand-home');
    const run = spawnSync('xvfb-run', ['-a', '-n', String(31_000 + Math.floor(Math.random() * 1000)), 'java', `-Duser.home=${home}`, '-jar', DEBIAN_IJ_JAR, '-port0', '-batch', plain], { timeout: 60_000, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(fromTiff).toBe(fs.readFileSync(byHand, 'utf8'));
    expect(fromTiff.split('\n')[0]).toBe(' ,Area,Mean,Min,Max');
    expect(fromTiff.trim().split('\n')).toHaveLength(2); // one nucleus in this image

    expect(record.status).toBe('completed');
    const imagej = record.software.find((s) => s.name === 'ImageJ');
    expect(imagej?.version).toMatch(/^1\.\d\d[a-z]?$/);
    expect(record.software.some((s) => s.name.startsWith('Java'))).toBe(true);
    expect(result.summary).toMatchObject({ images: 2, perImage: [{ resultRows: 1 }, { resultRows: 1 }] });
    // The changed input (the mask) was saved and converted; the console went to log.txt.
    expect(fs.existsSync(path.join(output, 'sample', 'sample.ome.zarr'))).toBe(true);
    expect(fs.readFileSync(path.join(output, 'sample', 'log.txt'), 'utf8')).toMatch(/Area\tMean/);
  });

  it('Analyze Particles counts and areas equal scikit-image\'s connected components of the mask it saved', async () => {
    const macro = write('count.ijm', RECORDED);
    const output = path.join(tmp, 'count-out');
    const result = await runMacro({ macro, images: [nuclei], output, imagej: DEBIAN_IJ_JAR, timeoutSeconds: 60 });
    const [image] = result.images;
    const mask = image.images.find((p) => p.endsWith('BBBC033_C2_z28-lzw.ome.zarr'))!;
    const results = path.join(image.folder, 'results.csv');
    const reference = await pythonJson<{ imagej: number[]; skimage: number[]; values: number[] }>(
      `
import csv, json, sys, zarr, numpy as np
from skimage.measure import label, regionprops
mask = zarr.open_group(sys.argv[1], mode='r')['0'][...]
components = label(mask == 255, connectivity=2)
rows = list(csv.DictReader(open(sys.argv[2])))
print(json.dumps({'imagej': sorted(float(r['Area']) for r in rows), 'skimage': sorted(float(r.area) for r in regionprops(components)), 'values': sorted(int(v) for v in np.unique(mask))}))
`,
      [mask, results],
    );
    expect(reference.values).toEqual([0, 255]);
    expect(reference.imagej.length).toBeGreaterThan(5);
    expect(reference.imagej).toEqual(reference.skimage);
    expect(image.resultRows).toBe(reference.imagej.length);
  });

  it('calibration goes through ImageJ and back: OME-Zarr scale → ImageJ voxel size → OME-Zarr scale', async () => {
    const [nz, ny, nx] = [4, 24, 32];
    const pixels = new Uint16Array(nz * ny * nx).map((_, i) => i % 1000);
    const input = path.join(tmp, 'calibrated.ome.zarr');
    await writeImage(input, arraySource(pixels, [nz, ny, nx], 'uint16'), {
      axes: [{ name: 'z', type: 'space', unit: 'micrometer' }, { name: 'y', type: 'space', unit: 'micrometer' }, { name: 'x', type: 'space', unit: 'micrometer' }],
      scale: [0.5, 0.2, 0.25],
      workers: 0,
    });
    const macro = write('calibration.ijm', 'getVoxelSize(w, h, d, unit);\nprint("voxel " + w + " " + h + " " + d + " " + unit + " slices " + nSlices);\nrun("Add...", "value=1 stack");\n');
    const output = path.join(tmp, 'calibration-out');
    const result = await runMacro({ macro, images: [input], output, imagej: DEBIAN_IJ_JAR, region: 'z=1:3', timeoutSeconds: 60 });
    const log = fs.readFileSync(result.images[0].log, 'utf8');
    expect(log).toMatch(/^voxel 0\.25 0\.2 0\.5 (microns?|µm) slices 2$/m);
    const back = await (await openOmeZarr(result.images[0].images[0])).image();
    expect(back.axes).toEqual([{ name: 'z', type: 'space', unit: 'micrometer' }, { name: 'y', type: 'space', unit: 'micrometer' }, { name: 'x', type: 'space', unit: 'micrometer' }]);
    back.levels[0].scale.forEach((s, i) => expect(s).toBeCloseTo([0.5, 0.2, 0.25][i], 9));
    const { data } = await back.readRegion();
    expect(Array.from(data as Uint16Array)).toEqual(Array.from(pixels.subarray(ny * nx, 3 * ny * nx), (v) => v + 1));
  });

  it('TIFFs whose axes or calibration ImageJ cannot read (SCIFIO, tifffile stacks) reach it as hyperstacks with their calibration', async () => {
    const macro = write('dims.ijm', 'getVoxelSize(w, h, d, unit);\nStack.getDimensions(W, H, C, Z, T);\nprint("dims c" + C + " z" + Z + " t" + T + " voxel " + w + " " + h + " " + d + " " + unit);\nrun("Invert", "stack");\n');
    const output = path.join(tmp, 'dims-out');
    const result = await runMacro({ macro, images: [shared('samples', 'tiff', 'sample_ovule.tiff'), shared('samples', 'tiff', 'input1_tyx.tiff')], output, imagej: DEBIAN_IJ_JAR, timeoutSeconds: 60 });
    const [ovule, series] = result.images;
    // SCIFIO's scales=0.15,0.15,0.235 µm: ImageJ alone would see a z spacing of 1.
    expect(fs.readFileSync(ovule.log, 'utf8')).toMatch(/^dims c1 z32 t1 voxel 0\.15 0\.15 0\.235 (microns?|µm)$/m);
    // tifffile's TYX: ImageJ alone would make the 5 frames slices.
    expect(fs.readFileSync(series.log, 'utf8')).toMatch(/^dims c1 z1 t5 /m);
    const back = await (await openOmeZarr(ovule.images[0])).image();
    expect(back.axisNames).toEqual(['z', 'y', 'x']);
    expect(back.levels[0].scale.slice(1)).toEqual([0.15, 0.15]); // ImageJ's 6-decimal resolution tags read as meant
    expect(back.levels[0].scale[0]).toBeCloseTo(0.235, 6);
  });

  it('arguments full of shell syntax reach the macro verbatim, and nothing runs them', async () => {
    const marker = path.join(tmp, 'pwned');
    const args = [`a=$(touch ${marker}); rm -rf ~`, 'b=x y', `c=it"s`, `d=\`touch ${marker}\`|&>;`, 'sigma=1.5'];
    const macro = write('params.ijm', ['#@ String a', '#@ String b', '#@ String c', '#@ String d', '#@ Double sigma', 'print("A=<" + a + ">");', 'print("B=<" + b + ">");', 'print("C=<" + c + ">");', 'print("D=<" + d + ">");', 'print("S=<" + (sigma * 2) + ">");', 'print("ARG=<" + getArgument() + ">");', 'print("GET=<" + call("ij.Macro.getValue", getArgument(), "b", "none") + ">");', ''].join('\n'));
    const output = path.join(tmp, 'params out $(x)');
    const result = await runMacro({ macro, images: [sample], output, args, imagej: DEBIAN_IJ_JAR, timeoutSeconds: 60 });
    const log = fs.readFileSync(result.images[0].log, 'utf8');
    expect(log).toContain(`A=<$(touch ${marker}); rm -rf ~>`);
    expect(log).toContain('B=<x y>');
    expect(log).toContain('C=<it"s>');
    expect(log).toContain(`D=<\`touch ${marker}\`|&>;>`);
    expect(log).toContain('S=<3>');
    expect(log).toMatch(/ARG=<input=\S+sample\.tiff output=\S+ a=\[\$\(touch \S+\); rm -rf ~\] b=\[x y\] c=it"s d=\[`touch \S+`\|&>;\] sigma=1\.5>/);
    expect(log).toContain('GET=<x y>');
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(output, 'sample', 'log.txt'))).toBe(true);
  });

  it('keeps what the macro saved itself and does not save it twice', async () => {
    const macro = write('saves.ijm', [RECORDED, 'out = call("ij.Macro.getValue", getArgument(), "output", "");', 'saveAs("Tiff", out + "mask.tif");', 'saveAs("Results", out + "particles.csv");', 'File.saveString("hello", out + "note.txt");', ''].join('\n'));
    const output = path.join(tmp, 'saves-out');
    const result = await runMacro({ macro, images: [sample], output, imagej: DEBIAN_IJ_JAR, timeoutSeconds: 60 });
    const folder = path.join(output, 'sample');
    expect(fs.readdirSync(folder).sort()).toEqual(['log.txt', 'mask.ome.zarr', 'note.txt', 'particles.csv']);
    expect(result.images[0].tables).toEqual([path.join(folder, 'particles.csv')]);
    expect(result.images[0].files).toEqual([path.join(folder, 'note.txt')]);
  });

  describe('failures end with a clear error within the time limit, no ImageJ left and no output', () => {
    const cases: { name: string; macro: string; code: string; message: RegExp; timeout: number; maxSeconds: number }[] = [
      { name: 'a syntax error', macro: 'print("start");\nx = ;\n', code: 'MACRO_FAILED', message: /ImageJ reported "Macro Error": Number or numeric function expected in line 2/, timeout: 60, maxSeconds: 20 },
      { name: 'an unknown command', macro: 'run("Gaussian Blur...", "sigma=1");\nrun("No Such Command");\n', code: 'MACRO_FAILED', message: /Unrecognized command: "No Such Command" in line 2/, timeout: 60, maxSeconds: 20 },
      { name: 'an endless loop', macro: 'i = 0;\nwhile (true) { i++; }\n', code: 'TIMEOUT', message: /did not finish on image "sample" .* within the time limit of 4 s/, timeout: 4, maxSeconds: 15 },
      { name: 'ImageJ killed under the macro', macro: 'print("going");\nexec("sh", "-c", "kill -9 $PPID");\nwait(5000);\n', code: 'MACRO_FAILED', message: /ImageJ ended \(exit status \d+\) before the macro finished on image "sample"/, timeout: 60, maxSeconds: 20 },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const scratch = fs.mkdtempSync(path.join(tmp, 'failure-'));
        const macro = write(`${path.basename(scratch)}.ijm`, c.macro);
        const output = path.join(scratch, 'out');
        const started = Date.now();
        const error = await runMacro({ macro, images: [sample], output, imagej: DEBIAN_IJ_JAR, timeoutSeconds: c.timeout, env: { ...process.env, TMPDIR: scratch } }).catch((e: unknown) => e);
        const seconds = (Date.now() - started) / 1000;
        expect(error).toMatchObject({ code: c.code });
        expect((error as Error).message).toMatch(c.message);
        expect(seconds).toBeLessThan(c.maxSeconds);
        expect(fs.readdirSync(scratch)).toEqual([]); // no output, no partial output, no work folder
        await new Promise((r) => setTimeout(r, 300));
        expect(processesMentioning(scratch)).toEqual([]);
      });
    }
  });
});
