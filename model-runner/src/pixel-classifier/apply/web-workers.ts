/**
 * Classifying a region in web workers, so the page thread stays free: the
 * page side (`ClassifierWorkers`) cuts the region into bands along y, one per
 * worker, hands each band its pixels with the halo (transferred, not
 * copied), and puts the bands' results together; the worker side
 * (`serveClassifierWorker`) runs `classifyRegion` on each. Bands computed
 * with their halo equal the whole region's result exactly, so how many
 * workers run changes nothing but the time. No SharedArrayBuffer (a
 * JupyterLab page is not cross-origin isolated) and no DOM types (this
 * package builds for Node too): workers are anything with postMessage and
 * message events.
 */
import type { PixelClassifier } from '../classifier-format.js';
import { classifierReadBox, classifyRegion, type Box, type RegionResult } from './region.js';

/** The part of a Worker (or a worker's global scope) this protocol uses. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

interface LoadMessage {
  type: 'classifier';
  key: string;
  classifier: PixelClassifier;
}

interface ClassifyMessage {
  type: 'classify';
  id: number;
  key: string;
  channels: Float32Array[];
  shape: number[];
  box: Box;
  imageShape: number[];
  region: Box;
  probabilities: boolean;
}

type Reply = { id: number; result: RegionResult; ms: number } | { id: number; error: { name: string; message: string; code?: string } };

const buffersOf = (arrays: (ArrayBufferView | undefined)[]) => arrays.filter((a): a is ArrayBufferView => Boolean(a)).map((a) => a.buffer as ArrayBuffer);

/** Worker side: answer classify messages (call once in the worker's entry). */
export function serveClassifierWorker(scope: MessageEndpoint): void {
  const loaded = new Map<string, PixelClassifier>();
  scope.addEventListener('message', ({ data }) => {
    const message = data as LoadMessage | ClassifyMessage;
    if (message.type === 'classifier') {
      loaded.clear(); // one classifier at a time: a forest can be tens of MB
      loaded.set(message.key, message.classifier);
      return;
    }
    const started = performance.now();
    try {
      const classifier = loaded.get(message.key);
      if (!classifier) throw new Error(`classifier ${message.key} was not sent to this worker`);
      const result = classifyRegion(classifier, message.channels, message.shape, {
        box: message.box, imageShape: message.imageShape, region: message.region, probabilities: message.probabilities,
      });
      scope.postMessage({ id: message.id, result, ms: performance.now() - started } satisfies Reply, buffersOf([result.labels, result.probabilities]));
    } catch (error) {
      const e = error as Error & { code?: string };
      scope.postMessage({ id: message.id, error: { name: e.name, message: e.message, code: e.code } } satisfies Reply);
    }
  });
}

/** A classifier as the page holds it: the decoded file and a key naming it (its sha256). */
export interface LoadedClassifier {
  key: string;
  classifier: PixelClassifier;
}

export interface WorkerClassifyOptions {
  /** Where the given pixels lie in the image (default: the whole image). */
  box?: Box;
  /** Spatial shape of the whole image (default `box.hi`). */
  imageShape?: number[];
  /** The region to classify in image coordinates (default: the box). */
  region?: Box;
  probabilities?: boolean;
}

/** The error a worker reported, as an Error with the same name, message and code. */
export class ClassifierWorkerError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    name = 'Error',
  ) {
    super(message);
    this.name = name;
  }
}

/** Copy box `part` out of planes covering box `whole` (C order, any number of axes), as float32. */
function cropPlanes(planes: ArrayLike<number>[], whole: Box, part: Box): Float32Array[] {
  const shape = whole.hi.map((h, d) => h - whole.lo[d]);
  const partShape = part.hi.map((h, d) => h - part.lo[d]);
  const last = shape.length - 1;
  const width = partShape[last];
  const rows = partShape.slice(0, last).reduce((a, b) => a * b, 1);
  return planes.map((plane) => {
    const out = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      // Row r's index along the part's leading axes, as an offset in the whole.
      let rest = r;
      let offset = part.lo[last] - whole.lo[last];
      let stride = shape[last];
      for (let d = last - 1; d >= 0; d--) {
        offset += ((rest % partShape[d]) + part.lo[d] - whole.lo[d]) * stride;
        rest = Math.floor(rest / partShape[d]);
        stride *= shape[d];
      }
      for (let x = 0; x < width; x++) out[r * width + x] = plane[offset + x];
    }
    return out;
  });
}

/**
 * Page side: a few workers classifying regions. `create` makes one worker
 * (the caller knows how its bundle is loaded: a URL, a Blob URL).
 */
export class ClassifierWorkers {
  readonly #workers: (MessageEndpoint & { terminate(): void })[] = [];
  readonly #sent = new Map<object, string>();
  readonly #waiting = new Map<number, { resolve: (r: RegionResult & { ms: number }) => void; reject: (e: Error) => void }>();
  #next = 1;

  constructor(create: () => MessageEndpoint & { terminate(): void }, count: number) {
    for (let i = 0; i < Math.max(1, count); i++) {
      const worker = create();
      worker.addEventListener('message', ({ data }) => {
        const reply = data as Reply;
        const waiting = this.#waiting.get(reply.id);
        if (!waiting) return;
        this.#waiting.delete(reply.id);
        if ('error' in reply) waiting.reject(new ClassifierWorkerError(reply.error.message, reply.error.code, reply.error.name));
        else waiting.resolve({ ...reply.result, ms: reply.ms });
      });
      this.#workers.push(worker);
    }
  }

  get size(): number {
    return this.#workers.length;
  }

  /**
   * Classify `options.region` of the pixels (one array per channel covering
   * `options.box`, which must hold the region with its halo — see
   * `classifierReadBox`). Resolves with the whole region's result and the
   * slowest band's compute time in ms.
   */
  async classify(loaded: LoadedClassifier, channels: ArrayLike<number>[], shape: number[], options: WorkerClassifyOptions = {}): Promise<RegionResult & { ms: number }> {
    const box = options.box ?? { lo: shape.map(() => 0), hi: shape };
    const imageShape = options.imageShape ?? box.hi;
    const region = options.region ?? box;
    const yAxis = shape.length - 2;
    const rows = region.hi[yAxis] - region.lo[yAxis];
    const bands = Math.min(this.#workers.length, Math.max(1, rows));
    const parts = Array.from({ length: bands }, (_, b) => {
      const lo = [...region.lo];
      const hi = [...region.hi];
      lo[yAxis] = region.lo[yAxis] + Math.floor((rows * b) / bands);
      hi[yAxis] = region.lo[yAxis] + Math.floor((rows * (b + 1)) / bands);
      const band: Box = { lo, hi };
      // The band's own read box, inside the given box when that holds the region's halo.
      const read = classifierReadBox(loaded.classifier, imageShape, band);
      return { band, read: { lo: read.lo.map((l, d) => Math.max(l, box.lo[d])), hi: read.hi.map((h, d) => Math.min(h, box.hi[d])) } };
    });
    const results = await Promise.all(
      parts.map(({ band, read }, b) => {
        const worker = this.#workers[b];
        if (this.#sent.get(worker) !== loaded.key) {
          worker.postMessage({ type: 'classifier', key: loaded.key, classifier: loaded.classifier } satisfies LoadMessage);
          this.#sent.set(worker, loaded.key);
        }
        const planes = cropPlanes(channels, box, read); // own copies: they are transferred
        const id = this.#next++;
        const message: ClassifyMessage = {
          type: 'classify', id, key: loaded.key, channels: planes, shape: read.hi.map((h, d) => h - read.lo[d]), box: read, imageShape, region: band, probabilities: options.probabilities !== false,
        };
        return new Promise<RegionResult & { ms: number }>((resolve, reject) => {
          this.#waiting.set(id, { resolve, reject });
          worker.postMessage(message, buffersOf(planes));
        });
      }),
    );
    if (results.length === 1) return results[0];
    const size = region.hi.map((h, d) => h - region.lo[d]);
    const count = size.reduce((a, b) => a * b, 1);
    const classes = loaded.classifier.forest.classCount;
    const labels = new Uint8Array(count);
    const probabilities = options.probabilities === false ? undefined : new Float32Array(count * classes);
    // Bands split y; with z leading (3D), each z plane holds a piece of every band.
    const planesZ = shape.length === 3 ? size[0] : 1;
    const plane = size[yAxis] * size[yAxis + 1];
    let rowStart = 0;
    results.forEach((result) => {
      const bandRows = result.shape[yAxis];
      const bandPlane = bandRows * size[yAxis + 1];
      for (let z = 0; z < planesZ; z++) {
        const to = z * plane + rowStart * size[yAxis + 1];
        labels.set(result.labels.subarray(z * bandPlane, (z + 1) * bandPlane), to);
        for (let k = 0; probabilities && k < classes; k++) {
          probabilities.set(result.probabilities!.subarray(k * bandPlane * planesZ + z * bandPlane, k * bandPlane * planesZ + (z + 1) * bandPlane), k * count + to);
        }
      }
      rowStart += bandRows;
    });
    return { shape: size, labels, probabilities, ms: Math.max(...results.map((r) => r.ms)) };
  }

  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
    for (const { reject } of this.#waiting.values()) reject(new Error('the classifier workers were stopped'));
    this.#waiting.clear();
  }
}
