/**
 * Galaxy's own tools judge the generated XML: planemo lint at warning level,
 * Galaxy's tool XSD after macro expansion, and the command as Galaxy's
 * Cheetah renders it, run by bash with hostile text in the form.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPython, missing, projectRoot, venvPython } from '../../tests/helpers/reference.js';
import { galaxyTools } from './catalogue.js';
import { TOOLS_DIR } from './generate.js';
import { toolFile } from './suite.js';

const run = promisify(execFile);
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'galaxy_xml.py');
const planemo = path.join(projectRoot, '.venv', 'bin', 'planemo');
const hasPlanemo = fs.existsSync(planemo);
const hasToolUtil = hasPython && fs.existsSync(path.join(projectRoot, '.venv', 'lib')) && hasPlanemo;
const toolPaths = galaxyTools.map((t) => path.join(TOOLS_DIR, toolFile(t)));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-checks-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe.skipIf(missing('planemo in .venv (requirements-dev.txt)', hasPlanemo))('planemo lint', () => {
  it('passes every tool at --fail_level warn', async () => {
    // BioToolsValid asks the bio.tools API about xrefs; no tool has one today (fairio has no entry yet).
    expect(galaxyTools.flatMap((t) => t.xrefs ?? [])).toEqual([]);
    const { stdout } = await run(planemo, ['lint', '--fail_level', 'warn', ...toolPaths], { maxBuffer: 1 << 24, timeout: 240_000 }).catch((error: { stdout: string }) => {
      throw new Error(`planemo lint failed:\n${error.stdout.split('\n').filter((l) => /WARNING|ERROR|Linting|Failed/.test(l)).join('\n')}`);
    });
    expect(stdout.match(/Linting tool/g)).toHaveLength(toolPaths.length);
    expect(stdout).not.toMatch(/\.\. (WARNING|ERROR)/);
  }, 300_000);
});

describe.skipIf(missing('galaxy-tool-util in .venv (requirements-dev.txt)', hasToolUtil))("Galaxy's tool XSD and Cheetah", () => {
  it('validates every tool against galaxy.xsd once macros are expanded, and catches a broken one', async () => {
    const broken = path.join(work, 'broken.xml');
    fs.copyFileSync(path.join(TOOLS_DIR, 'macros.xml'), path.join(work, 'macros.xml'));
    fs.writeFileSync(broken, fs.readFileSync(toolPaths[0], 'utf8').replace('<help format="restructuredtext">', '<help format="rst">').replace('detect_errors="exit_code"', 'detect_errors="sometimes"'));
    const { stdout } = await run(venvPython, [script, 'xsd', ...toolPaths, broken], { maxBuffer: 1 << 24, timeout: 120_000 });
    const errors = JSON.parse(stdout) as Record<string, string[]>;
    const { 'broken.xml': brokenErrors, ...ours } = errors;
    expect(Object.keys(ours)).toHaveLength(toolPaths.length);
    expect(ours).toEqual(Object.fromEntries(Object.keys(ours).map((k) => [k, []])));
    expect(brokenErrors.join('\n')).toMatch(/format/);
    expect(brokenErrors.join('\n')).toMatch(/detect_errors/);
  }, 120_000);

  it('runs hostile text through the command Galaxy renders, verbatim and without executing any of it', async () => {
    const fairio = path.join(projectRoot, 'node_modules', '.bin', 'fairio');
    if (missing('the built fairio CLI (npx tsc -b)', fs.existsSync(path.join(projectRoot, 'cli', 'dist', 'bin.js')))) return;
    const job = path.join(work, 'job');
    const objects = path.join(work, 'objects');
    fs.mkdirSync(job, { recursive: true });
    fs.mkdirSync(objects, { recursive: true });
    const canary = path.join(work, 'CANARY');
    const hostile = [`'; touch ${canary} #`, `$(touch ${canary})`, `\`touch ${canary}\``, `"; touch ${canary}; "`, `\ntouch ${canary}\n`, '--overwrite'].join(' ');
    const image = path.join(objects, 'dataset_1.dat');
    fs.copyFileSync(path.join(TOOLS_DIR, 'test-data', 'cells.ome.zarr.zip'), image);
    const inputs = path.join(job, 'inputs.json');
    fs.writeFileSync(
      inputs,
      JSON.stringify({
        image: { element_identifier: `x'$(touch ${canary})`, ext: 'ome_zarr.zip', staging_path: 'x', source_path: image, metadata_files: [] },
        method: 'otsu',
        value: null,
        channel: 0,
        fair: { license: null, organism: null, imaging_method: null, description: hostile, creator: null },
      }),
    );
    const outputs = { mask: path.join(objects, 'dataset_2.dat'), crate: path.join(objects, 'dataset_3.dat') };
    const rendered = await run(venvPython, [script, 'command', path.join(TOOLS_DIR, 'fairio_threshold.xml'), JSON.stringify({ inputs, outputs })], { timeout: 120_000 });
    const { command } = JSON.parse(rendered.stdout) as { command: string };
    expect(command).not.toContain('touch');
    // Run it as Galaxy's job script does: bash, set -e, in the job's working folder, fairio on PATH.
    await run('bash', ['-c', `set -e\n${command}`], { cwd: job, env: { ...process.env, PATH: `${path.dirname(fairio)}:${process.env.PATH}`, GALAXY_SLOTS: '1' }, timeout: 120_000 });
    expect(fs.existsSync(canary)).toBe(false);
    const crate = JSON.parse(fs.readFileSync(path.join(objects, 'dataset_2_files', 'ro-crate-metadata.json'), 'utf8')) as { '@graph': { description?: string }[] };
    expect(crate['@graph'].map((e) => e.description)).toContain(hostile);
    expect(fs.statSync(outputs.crate).size).toBeGreaterThan(0);
  }, 180_000);
});
