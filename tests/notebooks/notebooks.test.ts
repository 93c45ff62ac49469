/**
 * The notebooks in notebooks/ as a biologist runs them: each executes top to
 * bottom in the project's .venv kernel (notebooks/execute.py, nbclient) with
 * `fairio` resolving to this checkout's build, and fails the suite when a cell
 * fails. The committed notebooks carry no stored outputs, and each shows its
 * key result as a picture (the cell tagged "figure", in docs/notebooks.md).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasImageJ } from '../helpers/imagej.js';
import { missing, projectRoot, venvPython } from '../helpers/reference.js';

const run = promisify(execFile);
const folder = path.join(projectRoot, 'notebooks');
const notebooks = fs.readdirSync(folder).filter((name) => name.endsWith('.ipynb')).sort();
const bin = path.join(projectRoot, 'cli', 'dist', 'bin.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-notebooks-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata: { tags?: string[] };
}

function cells(name: string): Cell[] {
  return (JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')) as { cells: Cell[] }).cells;
}

const hasNbclient = fs.existsSync(venvPython) && fs.existsSync(bin);

describe('notebooks', () => {
  it('are committed without outputs, each with one key figure', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(4);
    for (const name of notebooks) {
      const code = cells(name).filter((cell) => cell.cell_type === 'code');
      for (const cell of code) {
        expect(cell.outputs, `${name}: stored outputs (clear them before committing)`).toEqual([]);
        expect(cell.execution_count ?? null, `${name}: stored execution count`).toBeNull();
      }
      expect(code.filter((cell) => cell.metadata.tags?.includes('figure')), `${name}: one cell tagged "figure"`).toHaveLength(1);
    }
  });

  // The macro notebook needs ImageJ (installed by scripts/setup.sh as root).
  const needsImageJ = (name: string) => name.includes('fiji');
  describe.skipIf(missing('the .venv (nbclient, ipykernel) and the fairio build', hasNbclient))('run top to bottom', () => {
    it.each(notebooks)('%s', async (name) => {
      if (needsImageJ(name) && missing('ImageJ, java and xvfb-run', hasImageJ)) return;
      const out = path.join(work, name.replace(/\.ipynb$/, ''));
      fs.mkdirSync(out);
      const figure = path.join(out, 'figure.png');
      const env = {
        ...process.env,
        FAIRIO_NOTEBOOK_OUT: out,
        // `fairio` is this checkout's build, whether a notebook calls it through the helper or a shell.
        FAIRIO: `${process.execPath} ${bin}`,
        PATH: `${path.join(projectRoot, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      };
      try {
        await run(venvPython, [path.join(folder, 'execute.py'), path.join(folder, name), '--figure', figure], { env, encoding: 'utf8', timeout: 600_000 });
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        throw new Error(`${name} failed:\n${e.stderr ?? e.message}`);
      }
      // A real picture (PNG signature), not an empty placeholder.
      expect(fs.readFileSync(figure).subarray(1, 4).toString()).toBe('PNG');
    }, 600_000);
  });
});
