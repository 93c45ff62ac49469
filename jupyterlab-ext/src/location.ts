/**
 * Where the viewer reads an OME-Zarr from: an http(s) URL as given, or a
 * path in the Jupyter server's file tree, served by the extension's server
 * route `/fairio/stores/` (Jupyter's `/files/` hides Zarr v2's dot-files and
 * has no Range support for shards). Requests carry the server's token and are
 * counted, so loading stays measurable.
 */
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { isUrl, openUrlStore, type NamedStore } from '@fairio/ngff/browser';
import { storeFetch, type RequestCounter } from './store-fetch.js';

export { newCounter, type RequestCounter } from './store-fetch.js';

export interface StoreLocation {
  /** What the user typed or picked: a server path or a URL. */
  label: string;
  /** The http(s) URL of the store root. */
  url: string;
  /** Whether requests go to the Jupyter server (and need its token). */
  jupyter: boolean;
}

/** A server path (relative to the Jupyter root, with or without a leading slash) or an http(s) URL. */
export function resolveLocation(input: string, settings: ServerConnection.ISettings = ServerConnection.makeSettings()): StoreLocation {
  const trimmed = input.trim().replace(/\/+$/, '');
  if (isUrl(trimmed)) return { label: trimmed, url: trimmed, jupyter: false };
  const path = trimmed.replace(/^\/+/, '');
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return { label: path, url: URLExt.join(settings.baseUrl, 'fairio', 'stores', encoded), jupyter: true };
}

/** The token to send to the Jupyter server (page config or the server settings). */
export function jupyterToken(settings: ServerConnection.ISettings = ServerConnection.makeSettings()): string {
  return settings.token || PageConfig.getToken();
}

export function openLocation(location: StoreLocation, token: string, counter?: RequestCounter): NamedStore {
  return openUrlStore(location.url, { fetch: storeFetch({ url: location.url, jupyter: location.jupyter, token }, counter), name: location.label });
}
