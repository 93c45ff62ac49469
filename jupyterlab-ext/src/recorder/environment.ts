/**
 * The environment a session ran in: the kernel (spec, implementation,
 * language) and, for Python kernels, the installed distributions, asked of the
 * kernel itself by a silent request (so they are those of the kernel's
 * environment, not the server's); JupyterLab's version and the installed
 * extensions with their versions.
 */
import type { RecordedKernel, SessionEnvironment } from '@fairio/provenance/browser';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection, type Kernel } from '@jupyterlab/services';

/** One line of Python, evaluated as a user expression: "name==version name==version …" (names and versions have no spaces). */
const PACKAGES_EXPRESSION = "' '.join(sorted({d.metadata['Name'] + '==' + d.version for d in __import__('importlib.metadata').metadata.distributions() if d.metadata['Name']}))";

export async function describeKernel(kernel: Kernel.IKernelConnection, options: { packages: boolean; ignore: (msgId: string) => void }): Promise<RecordedKernel> {
  const info = await kernel.info;
  const spec = await kernel.spec.catch(() => undefined);
  const language = info.language_info;
  const described: RecordedKernel = {
    id: kernel.id,
    name: kernel.name,
    ...(spec?.display_name ? { displayName: spec.display_name } : {}),
    ...(info.implementation ? { implementation: { name: info.implementation, version: info.implementation_version } } : {}),
    language: { name: language?.name ?? spec?.language ?? 'unknown', ...(language?.version ? { version: language.version } : {}) },
  };
  if (!options.packages) described.packagesUnavailable = 'listing packages is turned off in the settings';
  else if ((described.language.name ?? '').toLowerCase() !== 'python') described.packagesUnavailable = `packages are listed for Python kernels only (this one runs ${described.language.name})`;
  else {
    try {
      const future = kernel.requestExecute({ code: '', silent: true, store_history: false, user_expressions: { fairio_packages: PACKAGES_EXPRESSION } }, true);
      options.ignore(future.msg.header.msg_id);
      const reply = (await future.done).content as { status: string; user_expressions?: Record<string, { status: string; data?: Record<string, string>; evalue?: string }> };
      const result = reply.user_expressions?.fairio_packages;
      if (result?.status !== 'ok' || !result.data?.['text/plain']) throw new Error(result?.evalue ?? `the kernel answered ${reply.status}`);
      // The repr of a str: quoted; the content has no quotes or backslashes.
      const text = result.data['text/plain'].replace(/^['"]|['"]$/g, '');
      described.pythonPackages = text
        .split(' ')
        .filter(Boolean)
        .map((p) => {
          const at = p.indexOf('==');
          return { name: p.slice(0, at), version: p.slice(at + 2) };
        });
    } catch (error) {
      described.packagesUnavailable = `the kernel did not list its packages: ${(error as Error).message}`;
    }
  }
  return described;
}

/** JupyterLab's version and the extensions the server reports, with versions (this one's own among them). */
export async function describeJupyterLab(own: { name: string; version: string }): Promise<SessionEnvironment> {
  const extensions = new Map<string, string>([[own.name, own.version]]);
  try {
    const settings = ServerConnection.makeSettings();
    const response = await ServerConnection.makeRequest(URLExt.join(settings.baseUrl, 'lab/api/extensions'), {}, settings);
    if (response.ok) {
      const body = (await response.json()) as unknown;
      const list = (Array.isArray(body) ? body : ((body as { extensions?: unknown[] })?.extensions ?? [])) as { name?: string; installed_version?: string; enabled?: boolean; installed?: boolean }[];
      for (const e of list) if (e.name && e.installed_version && e.enabled !== false) extensions.set(e.name, e.installed_version);
    }
  } catch {
    // The extension manager may be disabled: the extension list then has this one only.
  }
  return {
    jupyterlab: { version: PageConfig.getOption('appVersion') || 'unknown' },
    extensions: [...extensions].map(([name, version]) => ({ name, version })).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}
