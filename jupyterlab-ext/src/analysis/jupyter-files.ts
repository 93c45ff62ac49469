/**
 * Files of the Jupyter server's tree as a web worker reads them (plain
 * `fetch` with the server's token, no JupyterLab imports): a folder's
 * listing through the contents API, a file's bytes through `/files/`. A model
 * package is a folder, its description file, or a `.zip`.
 */
import { FairioError, NotFoundError } from '@fairio/ngff/browser';
import { zipSource, type PackageSource } from '@fairio/model-runner/browser';

export interface JupyterServer {
  /** Base URL of the server, ending in '/'. */
  baseUrl: string;
  token: string;
}

const encodePath = (path: string) => path.split('/').filter(Boolean).map(encodeURIComponent).join('/');

async function get(server: JupyterServer, url: string, path: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: server.token ? { Authorization: `token ${server.token}` } : {}, credentials: 'same-origin' });
  } catch (e) {
    throw new FairioError('IO_ERROR', `cannot reach the Jupyter server (${(e as Error).message})`, { path });
  }
  if (response.status === 404) throw new NotFoundError('there is no such file or folder in the Jupyter file tree', { path });
  if (!response.ok) throw new FairioError('IO_ERROR', `the Jupyter server answered HTTP ${response.status}`, { path });
  return response;
}

interface ContentsModel {
  type: 'directory' | 'file' | 'notebook';
  name: string;
  content?: ContentsModel[] | null;
}

export async function contentsOf(server: JupyterServer, path: string, content: boolean): Promise<ContentsModel> {
  const response = await get(server, `${server.baseUrl}api/contents/${encodePath(path)}?content=${content ? 1 : 0}`, path);
  return (await response.json()) as ContentsModel;
}

export async function readServerFile(server: JupyterServer, path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await get(server, `${server.baseUrl}files/${encodePath(path)}`, path)).arrayBuffer());
}

const parent = (path: string) => path.split('/').filter(Boolean).slice(0, -1).join('/');
const base = (path: string) => path.split('/').filter(Boolean).pop() ?? '';

/** A model package at a server path: a folder, a .yaml description in its folder, or a .zip. */
export async function modelSource(server: JupyterServer, path: string): Promise<PackageSource> {
  const clean = path.trim().replace(/^\/+|\/+$/g, '');
  if (!clean) throw new FairioError('INVALID_ARGUMENT', 'name a bioimage.io model: a folder, its rdf.yaml / bioimageio.yaml, or a .zip');
  const item = await contentsOf(server, clean, false);
  const folderSource = (folder: string, description?: string): PackageSource => ({
    location: clean,
    description,
    list: async () => ((await contentsOf(server, folder, true)).content ?? []).filter((f) => f.type !== 'directory').map((f) => f.name),
    read: async (source) => {
      try {
        return await readServerFile(server, `${folder}/${source}`);
      } catch (e) {
        if (e instanceof FairioError && e.code === 'NOT_FOUND') return undefined;
        throw e;
      }
    },
  });
  if (item.type === 'directory') return folderSource(clean);
  if (/\.zip$/i.test(clean)) return zipSource(clean, await readServerFile(server, clean));
  if (/\.ya?ml$/i.test(clean)) return folderSource(parent(clean), base(clean));
  throw new FairioError('INVALID_ARGUMENT', 'is not a bioimage.io model: expected a folder, an rdf.yaml / bioimageio.yaml description or a .zip', { path: clean });
}
