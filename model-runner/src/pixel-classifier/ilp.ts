/**
 * Import from an ilastik Pixel Classification project (`.ilp`, HDF5, read
 * with h5wasm): the labels a user painted (`PixelClassification/LabelSets`,
 * sparse blocks placed by their `blockSlice`), the class names and colours,
 * and the feature selection (`FeatureSelections`: FeatureIds × Scales
 * matrix, ComputeIn2d), so an ilastik project moves to Galaxy or the CLI
 * without repainting. Projects of ilastik 1.x (storage version 0.2) are
 * read; anything else is refused with the version it has.
 */
import * as fs from 'node:fs';
import { FairioError, type TypedArray } from '@fairio/ngff';
import { FEATURE_IDS, checkSelection, type FeatureSelection } from './features/bank.js';
import { CANONICAL, type ImageInput } from './image-input.js';

export interface IlpLabelBlock {
  /** Box in the lane's axes (`IlpProject.labelAxes`). */
  start: number[];
  stop: number[];
  data: TypedArray;
}

export interface IlpProject {
  path: string;
  ilastikVersion: string;
  /** The feature selection of the project, when it has one. */
  selection?: FeatureSelection;
  classNames: string[];
  /** '#rrggbb' per class. */
  classColors: string[];
  /** Axes of the label blocks of lane 0, e.g. ['z', 'y', 'x', 'c']. */
  labelAxes: string[];
  labelBlocks: IlpLabelBlock[];
  /** Where the project's raw data of lane 0 was (for people). */
  rawDataPath?: string;
}

interface H5Node {
  keys?(): string[];
  get?(name: string): H5Node | null;
  value?: unknown;
  shape?: number[];
  attrs?: Record<string, { value: unknown }>;
}

function unsupported(path: string, message: string): FairioError {
  return new FairioError('UNSUPPORTED', message, { path });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : Array.isArray(v) ? text(v[0]) : String(v));

/** Read an ilastik project's labels, classes and feature selection. */
export async function readIlp(path: string): Promise<IlpProject> {
  const handle = await fs.promises.open(path, 'r');
  const bytes = Buffer.alloc(8);
  try {
    await handle.read(bytes, 0, 8, 0);
  } finally {
    await handle.close();
  }
  if (bytes.toString('latin1') !== '\x89HDF\r\n\x1a\n') {
    throw new FairioError('INVALID_ARGUMENT', 'is not an ilastik project (not an HDF5 file)', { path });
  }
  // h5wasm's Node build reads the file in place (loaded on first use: no side effect at import).
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  let file: H5Node & { close(): void };
  try {
    file = new h5wasm.File(path, 'r') as unknown as H5Node & { close(): void };
  } catch (error) {
    throw new FairioError('INVALID_ARGUMENT', `cannot be read as HDF5 (${(error as Error).message})`, { path, cause: error });
  }
  try {
    return readProject(path, file);
  } finally {
    file.close();
  }
}

function readProject(path: string, file: H5Node): IlpProject {
  const get = (p: string): H5Node | null => {
    try {
      return file.get!(p) ?? null;
    } catch {
      return null;
    }
  };
  const version = get('ilastikVersion');
  const ilastikVersion = version ? text(version.value) : 'unknown';
  const storage = get('Input Data/StorageVersion');
  const storageVersion = storage ? text(storage.value) : undefined;
  const major = Number(ilastikVersion.split('.')[0]);
  if (!(major >= 1) || storageVersion !== '0.2') {
    throw unsupported(path, `is an ilastik project of version ${ilastikVersion}${storageVersion ? ` (storage ${storageVersion})` : ''}; fairio reads projects of ilastik 1.x (input storage version 0.2)`);
  }
  const workflow = get('workflowName');
  if (workflow && !/pixel classification/i.test(text(workflow.value))) {
    throw unsupported(path, `is an ilastik "${text(workflow.value)}" project; fairio imports Pixel Classification projects`);
  }

  const selection = readSelection(path, get);
  const names = get('PixelClassification/LabelNames');
  const classNames = names ? (names.value as unknown[]).map(text) : [];
  const colors = get('PixelClassification/LabelColors');
  const classColors: string[] = [];
  if (colors?.value && colors.shape?.length === 2 && colors.shape[1] >= 3) {
    const v = Array.from(colors.value as ArrayLike<number | bigint>, Number);
    for (let k = 0; k < colors.shape[0]; k++) classColors.push(`#${[0, 1, 2].map((i) => Math.max(0, Math.min(255, v[k * colors.shape![1] + i])).toString(16).padStart(2, '0')).join('')}`);
  }

  const sets = get('PixelClassification/LabelSets');
  const laneNames = sets?.keys?.().filter((k) => /^labels\d+$/.test(k)).sort() ?? [];
  if (!sets || laneNames.length === 0) throw new FairioError('INVALID_ARGUMENT', 'has no labels (PixelClassification/LabelSets is empty)', { path });
  const lane = sets.get!(laneNames[0])!;
  const labelBlocks: IlpLabelBlock[] = [];
  for (const key of lane.keys?.().sort() ?? []) {
    const block = lane.get!(key)!;
    const slice = block.attrs?.blockSlice ? text(block.attrs.blockSlice.value) : '';
    const ranges = [...slice.matchAll(/(\d+):(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const shape = block.shape ?? [];
    if (ranges.length === 0 || ranges.length !== shape.length || ranges.some(([a, b], i) => b - a !== shape[i])) {
      throw new FairioError('INVALID_METADATA', `label block ${laneNames[0]}/${key} has a blockSlice "${slice}" that does not fit its shape [${shape.join(', ')}]`, { path });
    }
    labelBlocks.push({ start: ranges.map((r) => r[0]), stop: ranges.map((r) => r[1]), data: block.value as TypedArray });
  }
  const dims = labelBlocks[0]?.start.length ?? 0;
  const laneNumber = laneNames[0].replace('labels', '').padStart(4, '0');
  const tags = get(`Input Data/infos/lane${laneNumber}/Raw Data/axistags`);
  let labelAxes: string[] | undefined;
  if (tags) {
    try {
      labelAxes = (JSON.parse(text(tags.value)) as { axes: { key: string }[] }).axes.map((a) => a.key);
    } catch {
      labelAxes = undefined;
    }
  }
  if (!labelAxes || labelAxes.length !== dims) labelAxes = ({ 3: ['y', 'x', 'c'], 4: ['z', 'y', 'x', 'c'], 5: ['t', 'z', 'y', 'x', 'c'] } as Record<number, string[]>)[dims];
  if (labelBlocks.length > 0 && !labelAxes) throw unsupported(path, `has label blocks of ${dims} dimensions, which fairio cannot place`);
  const raw = get(`Input Data/infos/lane${laneNumber}/Raw Data/filePath`);
  return { path, ilastikVersion, selection, classNames, classColors, labelAxes: labelAxes ?? [], labelBlocks, rawDataPath: raw ? text(raw.value) : undefined };
}

function readSelection(path: string, get: (p: string) => H5Node | null): FeatureSelection | undefined {
  const ids = get('FeatureSelections/FeatureIds');
  const scales = get('FeatureSelections/Scales');
  const matrix = get('FeatureSelections/SelectionMatrix');
  if (!ids || !scales || !matrix) return undefined;
  const idList = (ids.value as unknown[]).map(text);
  const scaleList = Array.from(scales.value as ArrayLike<number>, Number);
  const flat = Array.from(matrix.value as ArrayLike<number>, (v) => Boolean(v));
  const [rows, cols] = matrix.shape ?? [];
  if (rows !== idList.length || cols !== scaleList.length) throw new FairioError('INVALID_METADATA', 'FeatureSelections/SelectionMatrix does not match FeatureIds × Scales', { path });
  const unknown = idList.filter((id, i) => !(FEATURE_IDS as readonly string[]).includes(id) && flat.slice(i * cols, (i + 1) * cols).some(Boolean));
  if (unknown.length) throw unsupported(path, `selects features fairio does not compute: ${unknown.join(', ')}`);
  const selection: FeatureSelection = {
    scales: scaleList,
    matrix: FEATURE_IDS.map((id) => {
      const row = idList.indexOf(id);
      return scaleList.map((_, j) => (row >= 0 ? flat[row * cols + j] : false));
    }),
  };
  const in2d = get('FeatureSelections/ComputeIn2d');
  if (in2d?.value) {
    const flags = Array.from(in2d.value as ArrayLike<number>, (v) => Boolean(v)).filter((_, j) => selection.matrix.some((row) => row[j]));
    if (flags.some(Boolean) && !flags.every(Boolean)) throw unsupported(path, 'mixes 2D and 3D scales ("in 2D" for some scales only); fairio filters all scales in 2D or all in 3D');
    selection.in2d = flags.length > 0 && flags.every(Boolean);
  }
  checkSelection(selection);
  return selection;
}

/** The project's labels as a label image over `image` (same t, z, y, x), read box by box from the sparse blocks. */
export function ilpLabels(project: IlpProject, image: ImageInput): ImageInput {
  const index = project.labelAxes.map((a) => (CANONICAL as readonly string[]).indexOf(a));
  if (index.some((i) => i < 0)) throw unsupported(project.path, `has label axes ${project.labelAxes.join(', ')}`);
  const shape5 = [image.shape5[0], 1, image.shape5[2], image.shape5[3], image.shape5[4]];
  const blocks = project.labelBlocks.map((b) => {
    const start5 = [0, 0, 0, 0, 0];
    const stop5 = [1, 1, 1, 1, 1];
    index.forEach((c, i) => {
      start5[c] = b.start[i];
      stop5[c] = b.stop[i];
    });
    if (stop5[1] - start5[1] !== 1 || stop5.some((s, d) => s > shape5[d])) {
      const show = (s: number[]) => `t ${s[0]}, z ${s[2]}, y ${s[3]}, x ${s[4]}`;
      throw new FairioError('INVALID_ARGUMENT', `labels reach (${show(stop5)}) beyond the image (${show(shape5)}): the project was made on another image`, { path: project.path });
    }
    start5[1] = 0;
    stop5[1] = 1;
    return { start5, stop5, data: b.data };
  });
  return {
    location: project.path,
    axes: ['t', 'c', 'z', 'y', 'x'].map((name) => ({ name, type: name === 't' ? 'time' : name === 'c' ? 'channel' : 'space' }) as ImageInput['axes'][number]),
    scale: [1, 1, 1, 1, 1],
    shape5,
    chunks5: [1, 1, ...shape5.slice(2)],
    dtype: 'uint8',
    async read(start, stop) {
      const size = stop.map((s, d) => s - start[d]);
      const out = new Uint8Array(size.reduce((a, b) => a * b, 1));
      const strides = size.map((_, d) => size.slice(d + 1).reduce((a, b) => a * b, 1));
      for (const b of blocks) {
        const lo = start.map((s, d) => Math.max(s, b.start5[d]));
        const hi = stop.map((s, d) => Math.min(s, b.stop5[d]));
        if (hi.some((h, d) => h <= lo[d])) continue;
        const bsize = b.stop5.map((s, d) => s - b.start5[d]);
        // The block's own axis order may differ from t, c, z, y, x: index through `index`.
        const own = index.map((c) => bsize[c]);
        const ownStrides = own.map((_, i) => own.slice(i + 1).reduce((a, c) => a * c, 1));
        const pos = [...lo];
        for (;;) {
          let src = 0;
          index.forEach((c, i) => (src += (pos[c] - b.start5[c]) * ownStrides[i]));
          let dst = 0;
          for (let d = 0; d < 5; d++) dst += (pos[d] - start[d]) * strides[d];
          const v = Number(b.data[src]);
          if (v !== 0) out[dst] = v;
          let d = 4;
          for (; d >= 0; d--) {
            if (++pos[d] < hi[d]) break;
            pos[d] = lo[d];
          }
          if (d < 0) break;
        }
      }
      return out;
    },
    close: async () => undefined,
  };
}
