/**
 * A real JupyterHub for the extension's tests: the .venv's `jupyterhub`
 * (pinned in requirements-dev.txt) with the root package's
 * `configurable-http-proxy`, JupyterHub's DummyAuthenticator (one password for
 * the allowed users) and SimpleLocalProcessSpawner (single-user servers run as
 * the hub's own Unix user, so it works as root in CI without system accounts),
 * all on 127.0.0.1 with free ports, in a fresh temporary folder (database,
 * cookie secret, users' homes, Jupyter config/data/settings).
 *
 * The users' servers are `jupyterhub-singleuser` (JupyterLab) with the
 * jupyterlab-fairio wheel built and installed by the JupyterLab harness
 * (`installWheel`), so they run what `pip install jupyterlab-fairio` gives.
 *
 * Every process of a hub carries FAIRIO_TEST_HUB=<its folder> in its
 * environment. The hub starts the proxy and the single-user servers in
 * sessions of their own, so `stop()` first asks the hub to stop them (SIGTERM:
 * it stops the servers and the proxy it started), then ends whatever still
 * carries the mark, even when a test failed half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../helpers/reference.js';
import { freePort, installWheel } from '../jupyterlab/jupyterlab-server.js';

const venvBin = path.join(projectRoot, '.venv', 'bin');
const proxyBin = path.join(projectRoot, 'node_modules', '.bin', 'configurable-http-proxy');
const MARK = 'FAIRIO_TEST_HUB';

/** Whether the .venv has JupyterHub and node_modules the proxy (scripts/setup.sh installs both). */
export const hasJupyterHub = fs.existsSync(path.join(venvBin, 'jupyterhub')) && fs.existsSync(path.join(venvBin, 'jupyterhub-singleuser')) && fs.existsSync(proxyBin);

export interface JupyterHub {
  /** The public URL (the proxy), ending in '/'. */
  url: string;
  /** The password DummyAuthenticator accepts for every allowed user. */
  password: string;
  /** A user's home folder, which is their server's root (created before the server starts, so tests can put data there). */
  home(user: string): string;
  /** Processes (pid and command line) that belong to this hub: hub, proxy, single-user servers. */
  processes(): { pid: number; command: string }[];
  /** Everything the hub (and the servers it spawned) printed, for failure messages. */
  log(): string;
  /** Stop the hub, the proxy and every single-user server; remove the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Python literal of a string or a list or dict of strings (JSON's syntax is Python's for these). */
const py = (value: string | string[] | Record<string, string>) => JSON.stringify(value);

function hubConfig(o: { dir: string; site: string; ports: { public: number; hub: number; api: number }; users: string[]; password: string; proxyToken: string }): string {
  const singleUserEnv: Record<string, string> = {
    [MARK]: o.dir,
    PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}`,
    PYTHONPATH: o.site,
    // The wheel's data files: share/jupyter (labextension) and etc/jupyter (server extension config).
    JUPYTER_PATH: path.join(o.site, 'share', 'jupyter'),
    JUPYTER_CONFIG_PATH: path.join(o.site, 'etc', 'jupyter'),
    JUPYTER_CONFIG_DIR: path.join(o.dir, 'jupyter', 'config'),
    JUPYTER_DATA_DIR: path.join(o.dir, 'jupyter', 'data'),
    JUPYTER_PLATFORM_DIRS: '1',
  };
  const singleUserArgs = [
    // CI runs the tests as root, and SimpleLocalProcessSpawner runs servers as the hub's user.
    '--allow-root',
    `--LabApp.user_settings_dir=${path.join(o.dir, 'jupyter', 'settings')}`,
    `--LabApp.workspaces_dir=${path.join(o.dir, 'jupyter', 'workspaces')}`,
    // Nothing from the internet: no update checks, no news.
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    '--LabServerApp.extra_labextensions_path=[]',
  ];
  return [
    'c = get_config()  # noqa',
    `c.JupyterHub.bind_url = ${py(`http://127.0.0.1:${o.ports.public}/`)}`,
    `c.JupyterHub.hub_bind_url = ${py(`http://127.0.0.1:${o.ports.hub}`)}`,
    `c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${o.ports.api}`)}`,
    `c.ConfigurableHTTPProxy.command = ${py([proxyBin])}`,
    `c.ConfigurableHTTPProxy.auth_token = ${py(o.proxyToken)}`,
    `c.ConfigurableHTTPProxy.pid_file = ${py(path.join(o.dir, 'proxy.pid'))}`,
    `c.JupyterHub.db_url = ${py(`sqlite:///${path.join(o.dir, 'jupyterhub.sqlite')}`)}`,
    `c.JupyterHub.cookie_secret_file = ${py(path.join(o.dir, 'cookie_secret'))}`,
    `c.JupyterHub.pid_file = ${py(path.join(o.dir, 'jupyterhub.pid'))}`,
    "c.JupyterHub.authenticator_class = 'dummy'",
    `c.DummyAuthenticator.password = ${py(o.password)}`,
    `c.Authenticator.allowed_users = set(${py(o.users)})`,
    "c.JupyterHub.spawner_class = 'simple'",
    `c.SimpleLocalProcessSpawner.home_dir_template = ${py(path.join(o.dir, 'home', '{username}'))}`,
    "c.Spawner.ip = '127.0.0.1'",
    `c.Spawner.cmd = ${py([path.join(venvBin, 'jupyterhub-singleuser')])}`,
    `c.Spawner.args = ${py(singleUserArgs)}`,
    `c.Spawner.environment = ${py(singleUserEnv)}`,
    "c.Spawner.default_url = '/lab'",
    // A first JupyterLab start on a loaded 2-core machine can take a while.
    'c.Spawner.start_timeout = 180',
    'c.Spawner.http_timeout = 180',
    // Stop the users' servers and the proxy when the hub stops (the defaults, said out loud).
    'c.JupyterHub.cleanup_servers = True',
    'c.JupyterHub.cleanup_proxy = True',
    '',
  ].join('\n');
}

/** Processes whose environment carries this hub's mark. */
function markedProcesses(dir: string): { pid: number; command: string }[] {
  const mark = Buffer.from(`${MARK}=${dir}\0`);
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`).includes(mark)) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // A zombie has an empty command line: it is gone, only not reaped yet.
      if (command) found.push({ pid: Number(entry), command });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

export async function startJupyterHub(options: { users?: string[] } = {}): Promise<JupyterHub> {
  const users = options.users ?? ['biologist'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-jupyterhub-'));
  let child: ChildProcess | undefined;
  let output = '';
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      signal(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => signal(-child!.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    // Whatever the hub did not stop (it was killed, or a spawn was half-way): TERM, then KILL.
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      const left = markedProcesses(dir);
      if (!left.length) break;
      for (const p of left) signal(p.pid, sig);
      for (let i = 0; i < 40 && markedProcesses(dir).length; i++) await new Promise((r) => setTimeout(r, 250));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const site = await installWheel(dir);
    const ports = { public: await freePort(), hub: await freePort(), api: await freePort() };
    const password = randomBytes(12).toString('hex');
    const config = path.join(dir, 'jupyterhub_config.py');
    fs.writeFileSync(config, hubConfig({ dir, site, ports, users, password, proxyToken: randomBytes(24).toString('hex') }));
    for (const user of users) fs.mkdirSync(path.join(dir, 'home', user), { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, [MARK]: dir, HOME: dir, PATH: `${venvBin}${path.delimiter}${process.env.PATH ?? ''}` };
    child = spawn(path.join(venvBin, 'jupyterhub'), ['-f', config], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${ports.public}/`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`JupyterHub exited with ${child.exitCode}:\n${output}`);
      try {
        // The hub's API root answers without a login, through the proxy: both are up.
        if ((await fetch(`${url}hub/api/`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`JupyterHub did not answer within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return {
      url,
      password,
      home: (user) => path.join(dir, 'home', user),
      processes: () => markedProcesses(dir),
      log: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
