/**
 * The chunk worker: fetches and decodes chunks off the page's thread, with
 * the same checks as the command line (ngff's `decodeChunk`: a chunk that
 * cannot be decoded or has the wrong size is a CORRUPT_CHUNK naming its key),
 * and answers with one plane. Bundled on its own (esbuild) and started from a
 * Blob URL, so it needs nothing from JupyterLab's module federation.
 */
import * as zarr from 'zarrita';
import { decodeChunk, FairioError, openUrlStore, type NamedStore } from '@fairio/ngff/browser';
import { ChunkCache } from './chunk-cache.js';
import { extractPlane } from './plane.js';
import { newCounter, storeFetch, type RequestCounter } from '../store-fetch.js';
import type { PlaneRequest, PlaneResponse, StoreRef } from './protocol.js';

type AnyArray = zarr.Array<zarr.DataType, NamedStore>;

interface WorkerScope {
  onmessage: ((event: MessageEvent<PlaneRequest>) => void) | null;
  postMessage(message: PlaneResponse, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

const stores = new Map<string, { store: NamedStore; received: RequestCounter }>();
const arrays = new Map<string, Promise<AnyArray>>();
/** Decoded chunks (and the bytes fetched for each), so the planes of one chunk decode it once. */
const chunks = new ChunkCache<{ chunk: zarr.Chunk<zarr.DataType>; bytes: number }>(
  64 * 2 ** 20,
  ({ chunk }) => (chunk.data as unknown as { byteLength: number }).byteLength ?? 0,
);

function storeFor(ref: StoreRef) {
  let entry = stores.get(ref.url);
  if (!entry) {
    const received = newCounter();
    entry = { store: openUrlStore(ref.url, { fetch: storeFetch(ref, received), name: ref.label }), received };
    stores.set(ref.url, entry);
  }
  return entry;
}

function arrayFor(request: PlaneRequest): Promise<AnyArray> {
  const key = `${request.store.url}|${request.arrayPath}`;
  let array = arrays.get(key);
  if (!array) {
    const location = zarr.root(storeFor(request.store).store).resolve(request.arrayPath);
    array = (request.zarrFormat === 3 ? zarr.open.v3(location, { kind: 'array' }) : zarr.open.v2(location, { kind: 'array' })) as Promise<AnyArray>;
    array.catch(() => arrays.delete(key));
    arrays.set(key, array);
  }
  return array;
}

async function plane(request: PlaneRequest): Promise<PlaneResponse> {
  const started = performance.now();
  const array = await arrayFor(request);
  const key = `${request.store.url}|${request.arrayPath}|${request.coord.join(',')}`;
  const { value, fetched } = chunks.get(key, () => {
    const received = storeFor(request.store).received;
    const before = received.bytes;
    const where = `${request.store.label.replace(/\/+$/, '')}/${request.arrayPath}`;
    return decodeChunk(array, request.coord, where).then((chunk) => ({ chunk, bytes: received.bytes - before }));
  });
  const { chunk, bytes } = await value;
  const height = Math.min(array.chunks[request.yAxis], array.shape[request.yAxis] - request.coord[request.yAxis] * array.chunks[request.yAxis]);
  const width = Math.min(array.chunks[request.xAxis], array.shape[request.xAxis] - request.coord[request.xAxis] * array.chunks[request.xAxis]);
  const data = extractPlane(chunk as never, request.within, request.yAxis, request.xAxis, height, width);
  return { id: request.id, ok: true, data, width, height, fetched, bytes: fetched ? bytes : 0, ms: performance.now() - started };
}

scope.onmessage = (event) => {
  const request = event.data;
  plane(request).then(
    (response) => scope.postMessage(response, response.ok ? [response.data.buffer as ArrayBuffer] : []),
    (error: unknown) =>
      scope.postMessage({
        id: request.id,
        ok: false,
        code: error instanceof FairioError ? error.code : 'IO_ERROR',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
};
