/**
 * Messages between the viewer and its chunk workers. The page asks for one
 * 2D plane (y × x) of one chunk; the worker fetches and decodes the chunk
 * (keeping recent chunks, so the other channels or z planes of a chunk that
 * holds several are not fetched again) and sends the plane back transferred.
 */
export interface StoreRef {
  /** http(s) URL of the store root. */
  url: string;
  /** How messages name the store (the path or URL the user gave). */
  label: string;
  /** Jupyter token to send (empty for other servers). */
  token: string;
  jupyter: boolean;
}

export interface PlaneRequest {
  id: number;
  store: StoreRef;
  /** Array path inside the store. */
  arrayPath: string;
  zarrFormat: 2 | 3;
  /** Chunk grid coordinates, one per axis. */
  coord: number[];
  /** Index inside the chunk on every axis but y and x (ignored there). */
  within: number[];
  yAxis: number;
  xAxis: number;
}

/** Pixel values of a plane: integers and floats as they are; 64-bit integers as float64. */
export type PlaneData = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface PlaneResult {
  id: number;
  ok: true;
  data: PlaneData;
  width: number;
  height: number;
  /** Whether the chunk itself was fetched for this plane (false: from the worker's chunk cache). */
  fetched: boolean;
  /** Bytes received for it (0 when cached), and the time the worker took. */
  bytes: number;
  ms: number;
}

export interface PlaneFailure {
  id: number;
  ok: false;
  /** FairioError code where there is one (CORRUPT_CHUNK, IO_ERROR, NOT_FOUND, …). */
  code: string;
  message: string;
}

export type PlaneResponse = PlaneResult | PlaneFailure;
