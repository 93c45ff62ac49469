/**
 * What a macro is given, checked without ImageJ: the params text, the
 * getArgument() string, Fiji script parameters, the ImageJ TIFF header, the
 * region syntax, and which ImageJ is found.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillScriptParameters, macroArgument, macroString, parseMacroArguments } from './arguments.js';
import { imagejDescription, inputStem, parseRegion } from './inputs.js';
import { locateImageJ } from './locate.js';
import { imagejMacroNode } from './node.js';
import { imagejIntended } from './outputs.js';
import { imagejArgv } from './process.js';
import { checkParameters } from '../parameters.js';

describe('parseMacroArguments', () => {
  it('splits each key=value at the first "=" and keeps the value verbatim: spaces, quotes, "=" and shell syntax', () => {
    const pairs = ['sigma=2', 'name=cell A', 'quote=say "hi" \\o/', "shell=$(touch /tmp/pwned); rm -rf ~ `id` | & > ;", 'list=[a, b]', 'empty=', 'url=http://x/?a=b&c=d', "single='x'"];
    expect(parseMacroArguments(pairs)).toEqual([
      { key: 'sigma', value: '2' },
      { key: 'name', value: 'cell A' },
      { key: 'quote', value: 'say "hi" \\o/' },
      { key: 'shell', value: '$(touch /tmp/pwned); rm -rf ~ `id` | & > ;' },
      { key: 'list', value: '[a, b]' },
      { key: 'empty', value: '' },
      { key: 'url', value: 'http://x/?a=b&c=d' },
      { key: 'single', value: "'x'" },
    ]);
    expect(parseMacroArguments(undefined)).toEqual([]);
    expect(parseMacroArguments([])).toEqual([]);
  });

  it('refuses what it cannot pass on faithfully, saying which argument', () => {
    expect(() => parseMacroArguments(['sigma'])).toThrow(/expected key=value, found "sigma"/);
    expect(() => parseMacroArguments(['1x=2'])).toThrow(/expected key=value/);
    expect(() => parseMacroArguments([' sigma=2'])).toThrow(/expected key=value/);
    expect(() => parseMacroArguments(['a=1', 'a=2'])).toThrow(/"a" is given twice/);
    expect(() => parseMacroArguments(['input=x.tif'])).toThrow(/"input" is set by fairio/);
    expect(() => parseMacroArguments(['a=line\nbreak'])).toThrow(/line break/);
    expect(() => parseMacroArguments(['a=tab\there'])).toThrow(/tab/);
    expect(() => parseMacroArguments(['sigma'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('macroArgument', () => {
  it('is input=… output=… then the parameters, in ImageJ option syntax', () => {
    const params = parseMacroArguments(['sigma=2', 'name=cell A', 'shell=$(id)']);
    expect(macroArgument('/data/a b.tif', '/out/', params)).toBe('input=[/data/a b.tif] output=/out/ sigma=2 name=[cell A] shell=$(id)');
    expect(macroArgument('/a.tif', '/o/', [{ key: 'e', value: '' }])).toBe('input=/a.tif output=/o/ e=[]');
    expect(() => macroArgument('/a.tif', '/o/', [{ key: 'x', value: 'a ]b' }])).toThrow(/both spaces and "]"/);
  });

  it('quotes macro string literals', () => {
    expect(macroString('a "b" \\c\n')).toBe('"a \\"b\\" \\\\c\\n"');
  });
});

describe('fillScriptParameters', () => {
  const macro = [
    '#@ Double sigma',
    '#@ String (label="Method", value="Otsu") method',
    '#@ File input',
    '#@ File (style="directory") output',
    '#@ ImagePlus imp',
    '#@ Boolean watershed',
    '#@output String result',
    'print(sigma);',
  ].join('\n');

  it('turns #@ lines into assignments, one line for one line', () => {
    const filled = fillScriptParameters(macro, { sigma: '2.5', input: '/in/a "b".tif', output: '/out/', watershed: 'true' });
    expect(filled.split('\n')).toEqual([
      'sigma = 2.5;',
      'method = "Otsu";',
      'input = "/in/a \\"b\\".tif";',
      'output = "/out/";',
      'imp = getImageID();',
      'watershed = true;',
      '',
      'print(sigma);',
    ]);
  });

  it('says which script parameters lack a value or have a wrong one', () => {
    expect(() => fillScriptParameters(macro, { input: 'i', output: 'o' })).toThrow(/script parameters sigma, watershed: give them as macro arguments \(e\.g\. --arg sigma=…\)/);
    expect(() => fillScriptParameters(macro, { sigma: 'wide', input: 'i', output: 'o', watershed: 'true' })).toThrow(/"sigma" is a Double, but its value "wide" is not a number/);
    expect(() => fillScriptParameters('#@ Boolean w', { w: 'maybe' })).toThrow(/use true or false/);
    expect(() => fillScriptParameters('#@ (', {})).toThrow(/cannot read the script parameter line/);
  });

  it('leaves a macro without script parameters as it is', () => {
    const plain = 'run("Gaussian Blur...", "sigma=2");\r\nprint("#@ not a parameter");\r\n';
    expect(fillScriptParameters(plain, {})).toBe(plain);
  });
});

describe('ImageJ TIFF header and regions', () => {
  it('describes a hyperstack with its calibration as ImageJ writes it', () => {
    const description = imagejDescription({ axes: ['t', 'c', 'z', 'y', 'x'], shape: [2, 3, 4, 8, 8], scale: [1.5, 1, 0.5, 0.2, 0.2], units: ['second', undefined, 'micrometer', 'micrometer', 'micrometer'] });
    expect(description.split('\n')).toEqual(['ImageJ=1.53t', 'images=24', 'channels=3', 'slices=4', 'frames=2', 'hyperstack=true', 'mode=grayscale', 'unit=micron', 'spacing=0.5', 'finterval=1.5', 'tunit=sec', 'loop=false', '']);
    expect(imagejDescription({ axes: ['y', 'x'], shape: [4, 4], scale: [1, 1], units: [undefined, undefined] })).toBe('ImageJ=1.53t\nimages=1\nloop=false\n');
  });

  it('reads regions as axis=index or axis=start:stop', () => {
    expect(parseRegion('z=10 y=0:512, x=256:768')).toEqual({ z: 10, y: [0, 512], x: [256, 768] });
    expect(parseRegion(' ')).toBeUndefined();
    expect(() => parseRegion('z=-1')).toThrow(/not axis=index or axis=start:stop/);
  });

  it('names outputs after the input', () => {
    expect(['a/cells.ome.zarr', 'a/cells.zarr/', 'x/cells.ome.tif', 'cells.TIFF', 'weird'].map(inputStem)).toEqual(['cells', 'cells', 'cells', 'cells', 'weird']);
  });
});

describe('locateImageJ', () => {
  it('takes an ij.jar, an ImageJ or Fiji folder, and says what is wrong otherwise', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-locate-'));
    try {
      const env = { PATH: process.env.PATH, JAVA_HOME: undefined };
      expect(() => locateImageJ(path.join(tmp, 'nothing.jar'), env)).toThrow(/ImageJ named by the imagej parameter does not exist/);
      fs.writeFileSync(path.join(tmp, 'macro.txt'), '');
      expect(() => locateImageJ(path.join(tmp, 'macro.txt'), env)).toThrow(/is not an ImageJ jar or folder/);
      expect(() => locateImageJ(tmp, env)).toThrow(/has no ij.jar nor jars\/ij-\*.jar/);
      const fiji = path.join(tmp, 'Fiji.app');
      fs.mkdirSync(path.join(fiji, 'jars'), { recursive: true });
      for (const jar of ['ij-1.53t.jar', 'ij-1.54f.jar', 'ij-1.54.jar', 'imagej-legacy-1.0.jar']) fs.writeFileSync(path.join(fiji, 'jars', jar), '');
      if (process.env.PATH?.split(path.delimiter).some((d) => fs.existsSync(path.join(d, 'java')))) {
        const found = locateImageJ(undefined, { ...env, FIJI_HOME: fiji });
        expect(found.jar).toBe(path.join(fiji, 'jars', 'ij-1.54f.jar'));
        expect(found.classPath).toEqual([path.join(fiji, 'jars', '*')]);
        expect(found.pluginsDir).toBe(fiji);
      }
      expect(() => locateImageJ(undefined, { PATH: '' })).toThrow(expect.objectContaining({ code: 'MISSING_DEPENDENCY' }));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('the imagej-macro node description', () => {
  it('declares `macro run MACRO --input IMG… --outdir DIR --arg k=v…` and checked parameters', () => {
    const d = imagejMacroNode.description;
    expect(d.command).toEqual(['macro', 'run']);
    expect(d.inputs.map((i) => [i.name, i.option ?? i.name, i.positional ?? false, i.multiple ?? false])).toEqual([['macro', 'macro', true, false], ['images', 'input', false, true]]);
    expect(d.outputs[0]).toMatchObject({ name: 'output', option: 'outdir', short: 'o' });
    expect(d.parameters[0]).toMatchObject({ name: 'args', option: 'arg', type: 'text', lines: true });
    // A list from a browser's text area (CR LF) is one value per line.
    expect(checkParameters(d, { args: 'a=1\r\nb=x y', timeout: '30', memory: '2g', region: 'z=1 y=0:10' })).toMatchObject({ args: 'a=1\nb=x y', timeout: 30, memory: '2g', level: 0 });
    expect(() => checkParameters(d, { memory: 'lots' })).toThrow(/memory/);
    expect(() => checkParameters(d, { timeout: '0' })).toThrow(/at least 1/);
  });
});

describe('pixel sizes written by ImageJ', () => {
  it('are read back as the shortest decimal ImageJ would store the same way', () => {
    // ImageJ stores 1/size as pixels per unit over 1 000 000, truncated.
    const roundTrip = (size: number) => 1e6 / Math.floor(1e6 / size);
    for (const size of [0.15, 2.54, 0.2, 0.65, 0.1234567, 1, 3.3]) expect(imagejIntended(roundTrip(size))).toBe(size);
    expect(imagejIntended(0.150000015)).toBe(0.15);
  });
});

describe('the ImageJ command line', () => {
  it('is an argument vector: xvfb-run, java with a heap limit and a private home, the wrapper and the job file as single arguments', () => {
    const install = { jar: '/opt/ij.jar', classPath: [], java: '/usr/bin/java', source: '/opt/ij.jar' };
    const command = { install, watchdogDir: '/cache/wd', macro: '/w/fairio-wrapper.ijm', argument: '/w/job; rm -rf ~.txt', workDir: '/w', dialogFile: '/w/dialog.txt', memory: '2g' };
    const argv = imagejArgv(command, { PATH: process.env.PATH, DISPLAY: ':0' });
    const java = argv.indexOf('/usr/bin/java');
    expect(java).toBeGreaterThanOrEqual(0);
    expect(argv.slice(java)).toEqual(['/usr/bin/java', '-Xmx2g', '-Duser.home=/w/home', '-Dfairio.dialogFile=/w/dialog.txt', '-cp', `/cache/wd${path.delimiter}/opt/ij.jar`, 'FairioImageJ', '-port0', '-batch', '/w/fairio-wrapper.ijm', '/w/job; rm -rf ~.txt']);
    if (java > 0) expect(argv.slice(1, 3)).toEqual(['-a', '-n']);
    // Without xvfb-run, a display is needed.
    expect(() => imagejArgv(command, { PATH: '' })).toThrow(/xvfb-run was not found, and there is no DISPLAY/);
    expect(imagejArgv(command, { PATH: '', DISPLAY: ':1' })[0]).toBe('/usr/bin/java');
  });
});
