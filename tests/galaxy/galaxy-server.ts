/**
 * A real Galaxy server for tests: Galaxy from PyPI (galaxy-app + galaxy-web-apps in
 * `.venv-galaxy`, installed by scripts/setup.sh), started with uvicorn on 127.0.0.1 and
 * a free port, SQLite, conda and container resolution off, the local job runner, and
 * fairio's tool suite (galaxy-tools/tools) as its only tool panel section. The `fairio`
 * executable its jobs call is the project's own (node_modules/.bin first on PATH).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../helpers/reference.js';

/** The Galaxy to start: .venv-galaxy, or another Galaxy venv named by FAIRIO_GALAXY_VENV. */
export const galaxyVenv = process.env.FAIRIO_GALAXY_VENV ?? path.join(projectRoot, '.venv-galaxy');
export const hasGalaxy = fs.existsSync(path.join(galaxyVenv, 'bin', 'uvicorn')) && fs.existsSync(path.join(galaxyVenv, 'bin', 'galaxy-tool-test'));
export const toolsDir = path.join(projectRoot, 'galaxy-tools', 'tools');

export interface GalaxyServer {
  url: string;
  /** API key of a real admin user (created through the bootstrap key). */
  userKey: string;
  adminKey: string;
  dataDir: string;
  log: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The galaxy.yml of the test server. */
export function galaxyConfig(dir: string, port: number, adminKey: string, client?: string): string {
  const lines = [
    'galaxy:',
    `  data_dir: ${dir}/data`,
    `  database_connection: sqlite:///${dir}/data/universe.sqlite?isolation_level=IMMEDIATE`,
    '  database_auto_migrate: true',
    `  tool_config_file: ${dir}/tool_conf.xml`,
    // No tool data tables: Galaxy's sample list includes one it would fetch from the network.
    `  tool_data_table_config_path: ${dir}/tool_data_table_conf.xml`,
    // No dependency resolution and no fetching: the jobs use the fairio on PATH.
    '  conda_auto_init: false',
    '  conda_auto_install: false',
    '  dependency_resolvers: []',
    '  enable_mulled_containers: false',
    '  biotools_service_cache_type: memory',
    '  watch_tools: "false"',
    '  enable_celery_tasks: false',
    `  bootstrap_admin_api_key: ${adminKey}`,
    '  admin_users: fairio-test@example.org',
    `  id_secret: fairio-test-${adminKey}`,
    '  allow_local_account_creation: true',
    // Tests upload test-data by path (admins only), instead of through HTTP.
    '  allow_path_paste: true',
    `  galaxy_infrastructure_url: http://127.0.0.1:${port}`,
    '  cleanup_job: onsuccess',
    // Galaxy's web client, when installed (galaxy-client from PyPI ships it built).
    ...(client ? [`  static_dist_dir: ${client}`] : []),
    '  job_config:',
    '    runners:',
    '      local:',
    '        load: galaxy.jobs.runners.local:LocalJobRunner',
    '        workers: 4',
    '    execution:',
    '      default: local',
    '      environments:',
    '        local:',
    '          runner: local',
  ];
  return `${lines.join('\n')}\n`;
}

async function waitFor(url: string, child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Galaxy exited with ${child.exitCode} while starting; log: ${log}\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Galaxy did not answer ${url} within ${timeoutMs / 1000} s; log: ${log}`);
}

async function api<T>(url: string, key: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { 'x-api-key': key, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Start Galaxy with fairio's tools; resolves once its API answers and a user with an API key exists. */
/** Galaxy's built web client in .venv-galaxy, if the galaxy-client package is installed there. */
export const galaxyClient = path.join(galaxyVenv, 'lib', `python3.${process.env.FAIRIO_PYTHON_MINOR ?? '11'}`, 'site-packages', 'galaxy', 'client', 'dist');

export async function startGalaxy(options: { timeoutMs?: number; client?: boolean } = {}): Promise<GalaxyServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-galaxy-'));
  fs.mkdirSync(path.join(dir, 'data'));
  const port = await freePort();
  const adminKey = `fairio${Math.random().toString(36).slice(2, 14)}`;
  const conf = fs.readFileSync(path.join(toolsDir, 'tool_conf.xml'), 'utf8').replace('<toolbox>', `<toolbox tool_path="${toolsDir}">`);
  fs.writeFileSync(path.join(dir, 'tool_conf.xml'), conf);
  fs.writeFileSync(path.join(dir, 'galaxy.yml'), galaxyConfig(dir, port, adminKey, options.client && fs.existsSync(galaxyClient) ? galaxyClient : undefined));
  fs.writeFileSync(path.join(dir, 'tool_data_table_conf.xml'), '<?xml version="1.0"?>\n<tables/>\n');
  const log = path.join(dir, 'galaxy.log');
  const out = fs.openSync(log, 'w');
  const child = spawn(path.join(galaxyVenv, 'bin', 'uvicorn'), ['--factory', 'galaxy.webapps.galaxy.fast_factory:factory', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    env: {
      ...process.env,
      GALAXY_CONFIG_FILE: path.join(dir, 'galaxy.yml'),
      PATH: `${path.join(projectRoot, 'node_modules', '.bin')}:${path.join(galaxyVenv, 'bin')}:${process.env.PATH ?? ''}`,
      // Jobs run fairio with one worker thread per Galaxy slot.
      GALAXY_SLOTS: '1',
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
          resolve();
        }, 15_000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
      });
    }
    fs.closeSync(out);
    if (!process.env.FAIRIO_KEEP_GALAXY) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${url}/api/version`, child, log, options.timeoutMs ?? 240_000);
    const user = await api<{ id: string }>(`${url}/api/users`, adminKey, { method: 'POST', body: JSON.stringify({ username: 'fairio-test', email: 'fairio-test@example.org', password: `pw-${adminKey}` }) });
    const userKey = await api<string>(`${url}/api/users/${user.id}/api_key`, adminKey, { method: 'POST' });
    return { url, userKey, adminKey, dataDir: path.join(dir, 'data'), log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** GET/POST against the Galaxy API as the test user. */
export function galaxyApi<T>(server: GalaxyServer, route: string, init: RequestInit = {}): Promise<T> {
  return api<T>(`${server.url}${route}`, server.userKey, init);
}
