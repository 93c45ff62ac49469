/**
 * A real JupyterLab for the extension's tests: the jupyterlab-fairio wheel is
 * built from jupyterlab-ext/ (prebuilt labextension, no npm at install time)
 * and installed into a private target folder, then the .venv's JupyterLab
 * (pinned in requirements-dev.txt) is started on 127.0.0.1 with a free port,
 * token authentication and fresh config, data, settings and workspace folders,
 * so nothing of the machine's own Jupyter setup leaks in.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../helpers/reference.js';

const run = promisify(execFile);
const venvBin = path.join(projectRoot, '.venv', 'bin');
export const extensionFolder = path.join(projectRoot, 'jupyterlab-ext');
const labextension = path.join(extensionFolder, 'jupyterlab_fairio', 'labextension', 'package.json');

/** Whether the .venv JupyterLab and the prebuilt labextension are there (scripts/setup.sh makes both). */
export const hasJupyterLab = fs.existsSync(path.join(venvBin, 'jupyter-lab')) && fs.existsSync(labextension);

export interface JupyterLab {
  /** Base URL, ending in '/'. */
  url: string;
  token: string;
  /** The server's root folder (put test data here). */
  root: string;
  /** URL of the lab page, logged in with the token. */
  labUrl(workspace?: string): string;
  /** Everything the server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A port on 127.0.0.1 that was free a moment ago (also used by tests/jupyterhub). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Build the wheel and install it (no dependencies, no build isolation: nothing is fetched) under `dir`. */
export async function installWheel(dir: string): Promise<string> {
  const wheels = path.join(dir, 'wheel');
  const site = path.join(dir, 'site');
  const python = path.join(venvBin, 'python');
  await run(python, ['-m', 'pip', 'wheel', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-build-isolation', extensionFolder, '-w', wheels], { timeout: 120_000 });
  const wheel = fs.readdirSync(wheels).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`no wheel was built in ${wheels}`);
  await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-index', '--target', site, path.join(wheels, wheel)], { timeout: 120_000 });
  return site;
}

export async function startJupyterLab(options: { root?: string } = {}): Promise<JupyterLab> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-jupyterlab-'));
  const site = await installWheel(dir);
  const root = options.root ?? path.join(dir, 'root');
  fs.mkdirSync(root, { recursive: true });
  // No news or update checks (they would go to the internet and cover the page with a toast).
  const notification = path.join(dir, 'settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(notification, { recursive: true });
  fs.writeFileSync(path.join(notification, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}`,
    PYTHONPATH: site,
    // The wheel's data files: share/jupyter (labextension) and etc/jupyter (server extension config).
    JUPYTER_PATH: path.join(site, 'share', 'jupyter'),
    JUPYTER_CONFIG_PATH: path.join(site, 'etc', 'jupyter'),
    JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
    JUPYTER_DATA_DIR: path.join(dir, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    JUPYTER_PLATFORM_DIRS: '1',
    HOME: dir,
  };
  const args = [
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    // CI machines run the tests as root.
    '--ServerApp.allow_root=True',
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${root}`,
    `--LabApp.user_settings_dir=${path.join(dir, 'settings')}`,
    `--LabApp.workspaces_dir=${path.join(dir, 'workspaces')}`,
    // Nothing from the internet: no update checks, no news.
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    '--LabServerApp.extra_labextensions_path=[]',
    // window.jupyterapp, so tests can run commands (place the viewer) as a user would from the palette.
    '--LabApp.expose_app_in_browser=True',
  ];
  const child: ChildProcess = spawn(path.join(venvBin, 'jupyter-lab'), args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`JupyterLab exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } });
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`JupyterLab did not answer within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    token,
    root,
    labUrl: (workspace = 'fairio-test') => `${url}lab/workspaces/${workspace}?reset&token=${token}`,
    log: () => output,
    stop,
  };
}
