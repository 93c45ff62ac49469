/**
 * Turns raw group attributes (NGFF 0.4 top-level keys, 0.5 / 0.6rc0 under
 * `ome`) into the typed model of `types.ts`. Metadata is untrusted input:
 * anything the rest of fairio relies on is checked here, and a problem is an
 * `InvalidMetadataError` that says which field is wrong. Full conformance is
 * the validator's job (`validate/`); this parser accepts what can be read.
 */
import { InvalidMetadataError } from '../errors.js';
import type {
  Axis,
  CoordinateTransformation,
  Dataset,
  ImageLabel,
  Multiscale,
  NgffGroupMetadata,
  NgffVersion,
  Omero,
  Plate,
  Well,
} from './types.js';

type Json = Record<string, unknown>;

class Field {
  constructor(readonly where: string, readonly name: string) {}
  fail(problem: string): never {
    throw new InvalidMetadataError(`${this.name} ${problem}`, { path: this.where });
  }
  at(key: string | number): Field {
    return new Field(this.where, typeof key === 'number' ? `${this.name}[${key}]` : `${this.name}.${key}`);
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, f: Field): Json {
  if (!isObject(v)) f.fail('must be an object');
  return v;
}
function array(v: unknown, f: Field): unknown[] {
  if (!Array.isArray(v)) f.fail('must be a list');
  return v;
}
function string(v: unknown, f: Field): string {
  if (typeof v !== 'string') f.fail('must be a string');
  return v;
}
function finite(v: unknown, f: Field): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) f.fail('must be a finite number');
  return v;
}
function optional<T>(v: unknown, read: (v: unknown) => T): T | undefined {
  return v === undefined || v === null ? undefined : read(v);
}

/** The NGFF version a document declares, normalised ("0.6rc0" → "0.6"). */
export function normaliseVersion(raw: unknown, f: Field): NgffVersion {
  const v = string(raw, f);
  if (v.startsWith('0.4')) return '0.4';
  if (v.startsWith('0.5')) return '0.5';
  if (v.startsWith('0.6')) return '0.6';
  f.fail(`"${v}" is not a supported OME-NGFF version (0.4, 0.5, 0.6)`);
}

function parseAxis(v: unknown, f: Field): Axis {
  if (typeof v === 'string') return { name: v }; // NGFF 0.3 style, still written by some tools
  const o = object(v, f);
  return {
    name: string(o.name, f.at('name')),
    type: optional(o.type, (t) => string(t, f.at('type'))),
    unit: optional(o.unit, (u) => string(u, f.at('unit'))),
  };
}

function numbers(v: unknown, f: Field, length: number): number[] {
  const list = array(v, f).map((x, i) => finite(x, f.at(i)));
  if (list.length !== length) f.fail(`has ${list.length} entries but there are ${length} axes`);
  return list;
}

/** Scale / translation / identity, flattening 0.6 `sequence`s made only of those. */
function parseTransforms(v: unknown, f: Field, ndim: number): CoordinateTransformation[] {
  const out: CoordinateTransformation[] = [];
  array(v, f).forEach((raw, i) => {
    const t = object(raw, f.at(i));
    const tf = f.at(i);
    switch (t.type) {
      case 'scale':
        if (t.path !== undefined) tf.fail('refers to a binary "path"; only inline scales are supported');
        out.push({ type: 'scale', scale: numbers(t.scale, tf.at('scale'), ndim) });
        break;
      case 'translation':
        if (t.path !== undefined) tf.fail('refers to a binary "path"; only inline translations are supported');
        out.push({ type: 'translation', translation: numbers(t.translation, tf.at('translation'), ndim) });
        break;
      case 'identity':
        out.push({ type: 'identity' });
        break;
      case 'sequence':
        out.push(...parseTransforms(t.transformations, tf.at('transformations'), ndim));
        break;
      default:
        tf.fail(`has type "${String(t.type)}"; fairio reads scale, translation, identity and sequences of them`);
    }
  });
  return out;
}

function parseMultiscale(v: unknown, f: Field): Multiscale {
  const o = object(v, f);
  // 0.6rc0 moves axes into named coordinate systems; the first one is the intrinsic/physical system.
  let rawAxes = o.axes;
  if (rawAxes === undefined && Array.isArray(o.coordinateSystems)) {
    rawAxes = object(o.coordinateSystems[0], f.at('coordinateSystems').at(0)).axes;
  }
  const axes = array(rawAxes, f.at('axes')).map((a, i) => parseAxis(a, f.at('axes').at(i)));
  if (axes.length < 2 || axes.length > 5) f.at('axes').fail(`has ${axes.length} axes; OME-NGFF images have 2 to 5`);
  const names = new Set(axes.map((a) => a.name));
  if (names.size !== axes.length) f.at('axes').fail('has duplicate axis names');
  const datasets: Dataset[] = array(o.datasets, f.at('datasets')).map((d, i) => {
    const df = f.at('datasets').at(i);
    const ds = object(d, df);
    const path = string(ds.path, df.at('path'));
    if (path === '' || path.split('/').some((p) => p === '..' || p === '.' || p === '')) df.at('path').fail(`"${path}" is not a relative path inside the image`);
    return {
      path,
      coordinateTransformations: optional(ds.coordinateTransformations, (t) => parseTransforms(t, df.at('coordinateTransformations'), axes.length)) ?? [],
    };
  });
  if (datasets.length === 0) f.at('datasets').fail('is empty: an image needs at least one resolution level');
  return {
    name: optional(o.name, (n) => string(n, f.at('name'))),
    axes,
    datasets,
    coordinateTransformations: optional(o.coordinateTransformations, (t) => parseTransforms(t, f.at('coordinateTransformations'), axes.length)),
    type: optional(o.type, (t) => string(t, f.at('type'))),
    metadata: optional(o.metadata, (m) => object(m, f.at('metadata'))),
  };
}

function parseOmero(v: unknown, f: Field): Omero {
  const o = object(v, f);
  const channels = array(o.channels ?? [], f.at('channels')).map((c, i) => {
    const cf = f.at('channels').at(i);
    const ch = object(c, cf);
    const w = optional(ch.window, (w) => object(w, cf.at('window')));
    return {
      label: optional(ch.label, (x) => string(x, cf.at('label'))),
      color: optional(ch.color, (x) => string(x, cf.at('color'))),
      active: typeof ch.active === 'boolean' ? ch.active : undefined,
      inverted: typeof ch.inverted === 'boolean' ? ch.inverted : undefined,
      coefficient: typeof ch.coefficient === 'number' ? ch.coefficient : undefined,
      family: typeof ch.family === 'string' ? ch.family : undefined,
      window: w && {
        start: finite(w.start, cf.at('window').at('start')),
        end: finite(w.end, cf.at('window').at('end')),
        min: typeof w.min === 'number' ? w.min : finite(w.start, cf.at('window').at('start')),
        max: typeof w.max === 'number' ? w.max : finite(w.end, cf.at('window').at('end')),
      },
    };
  });
  const rdefs = isObject(o.rdefs) ? o.rdefs : undefined;
  return {
    name: typeof o.name === 'string' ? o.name : undefined,
    channels,
    rdefs: rdefs && {
      defaultT: typeof rdefs.defaultT === 'number' ? rdefs.defaultT : undefined,
      defaultZ: typeof rdefs.defaultZ === 'number' ? rdefs.defaultZ : undefined,
      model: rdefs.model === 'color' || rdefs.model === 'greyscale' ? rdefs.model : undefined,
    },
  };
}

function parseImageLabel(v: unknown, f: Field): ImageLabel {
  const o = object(v, f);
  return {
    colors: optional(o.colors, (cs) =>
      array(cs, f.at('colors')).map((c, i) => {
        const cf = f.at('colors').at(i);
        const co = object(c, cf);
        const rgba = optional(co.rgba, (x) => array(x, cf.at('rgba')).map((n, j) => finite(n, cf.at('rgba').at(j))));
        if (rgba && rgba.length !== 4) cf.at('rgba').fail('must have 4 entries');
        return { 'label-value': finite(co['label-value'], cf.at('label-value')), rgba: rgba as [number, number, number, number] | undefined };
      }),
    ),
    properties: optional(o.properties, (ps) =>
      array(ps, f.at('properties')).map((p, i) => {
        const po = object(p, f.at('properties').at(i));
        return { ...po, 'label-value': finite(po['label-value'], f.at('properties').at(i).at('label-value')) };
      }),
    ),
    source: isObject(o.source) ? { image: typeof o.source.image === 'string' ? o.source.image : undefined } : undefined,
  };
}

function childPath(v: unknown, f: Field): string {
  const p = string(v, f);
  if (p === '' || p.split('/').some((s) => s === '..' || s === '.' || s === '')) f.fail(`"${p}" is not a relative path inside the store`);
  return p;
}

function parsePlate(v: unknown, f: Field): Plate {
  const o = object(v, f);
  const named = (key: 'rows' | 'columns') =>
    array(o[key], f.at(key)).map((r, i) => ({ name: string(object(r, f.at(key).at(i)).name, f.at(key).at(i).at('name')) }));
  const rows = named('rows');
  const columns = named('columns');
  const wells = array(o.wells, f.at('wells')).map((w, i) => {
    const wf = f.at('wells').at(i);
    const wo = object(w, wf);
    const path = childPath(wo.path, wf.at('path'));
    const [row, column] = path.split('/');
    // 0.4 made the indices mandatory; older plates only have the path.
    const rowIndex = typeof wo.rowIndex === 'number' ? wo.rowIndex : rows.findIndex((r) => r.name === row);
    const columnIndex = typeof wo.columnIndex === 'number' ? wo.columnIndex : columns.findIndex((c) => c.name === column);
    return { path, rowIndex, columnIndex };
  });
  return {
    name: typeof o.name === 'string' ? o.name : undefined,
    rows,
    columns,
    wells,
    acquisitions: Array.isArray(o.acquisitions) ? (o.acquisitions.filter(isObject) as unknown as Plate['acquisitions']) : undefined,
    field_count: typeof o.field_count === 'number' ? o.field_count : undefined,
  };
}

function parseWell(v: unknown, f: Field): Well {
  const o = object(v, f);
  return {
    images: array(o.images, f.at('images')).map((im, i) => {
      const io = object(im, f.at('images').at(i));
      return {
        path: childPath(io.path, f.at('images').at(i).at('path')),
        acquisition: typeof io.acquisition === 'number' ? io.acquisition : undefined,
      };
    }),
  };
}

/**
 * Parse a group's attributes. Returns `undefined` for a plain Zarr group with
 * no OME-NGFF content. `zarrFormat` decides where the OME keys live.
 * `where` names the group in error messages (path or URL).
 */
export function parseGroupAttributes(attributes: unknown, zarrFormat: 2 | 3, where: string): NgffGroupMetadata | undefined {
  const root = new Field(where, zarrFormat === 3 ? 'ome' : 'attributes');
  const attrs = object(attributes ?? {}, new Field(where, 'attributes'));
  const ome: Json | undefined = zarrFormat === 3 || isObject(attrs.ome) ? (isObject(attrs.ome) ? attrs.ome : undefined) : attrs;
  if (!ome) return undefined;

  const layout = ome['bioformats2raw.layout'];
  const hasContent = ['multiscales', 'plate', 'well', 'labels', 'image-label', 'omero', 'series'].some((k) => k in ome) || layout !== undefined;
  if (!hasContent) return undefined;

  const declared =
    ome.version ??
    (Array.isArray(ome.multiscales) && isObject(ome.multiscales[0]) ? ome.multiscales[0].version : undefined) ??
    (isObject(ome.plate) ? ome.plate.version : undefined) ??
    (isObject(ome.well) ? ome.well.version : undefined) ??
    (isObject(ome['image-label']) ? ome['image-label'].version : undefined);
  const version: NgffVersion = declared === undefined ? (zarrFormat === 3 ? '0.5' : '0.4') : normaliseVersion(declared, root.at('version'));
  if (zarrFormat === 2 && version !== '0.4') root.at('version').fail(`is ${version}, which needs Zarr v3 (zarr.json), but this group is Zarr v2`);

  const meta: NgffGroupMetadata = { version };
  if (ome.multiscales !== undefined) {
    meta.multiscales = array(ome.multiscales, root.at('multiscales')).map((m, i) => parseMultiscale(m, root.at('multiscales').at(i)));
    if (meta.multiscales.length === 0) root.at('multiscales').fail('is empty');
  }
  if (ome.omero !== undefined) meta.omero = parseOmero(ome.omero, root.at('omero'));
  if (ome['image-label'] !== undefined) meta.imageLabel = parseImageLabel(ome['image-label'], root.at('image-label'));
  if (ome.labels !== undefined) meta.labels = array(ome.labels, root.at('labels')).map((l, i) => childPath(l, root.at('labels').at(i)));
  if (ome.plate !== undefined) meta.plate = parsePlate(ome.plate, root.at('plate'));
  if (ome.well !== undefined) meta.well = parseWell(ome.well, root.at('well'));
  if (layout !== undefined) meta.bioformats2rawLayout = finite(layout, root.at('bioformats2raw.layout'));
  if (ome.series !== undefined) meta.series = array(ome.series, root.at('series')).map((s, i) => childPath(s, root.at('series').at(i)));
  return meta;
}

/** Per-level scale and translation (identity where absent), including the multiscale-wide transform. */
export function levelTransform(multiscale: Multiscale, level: number): { scale: number[]; translation: number[] } {
  const n = multiscale.axes.length;
  const scale = new Array<number>(n).fill(1);
  const translation = new Array<number>(n).fill(0);
  const apply = (ts: CoordinateTransformation[] | undefined) => {
    for (const t of ts ?? []) {
      if (t.type === 'scale') t.scale.forEach((s, i) => ((scale[i] *= s), (translation[i] *= s)));
      if (t.type === 'translation') t.translation.forEach((d, i) => (translation[i] += d));
    }
  };
  apply(multiscale.datasets[level].coordinateTransformations);
  apply(multiscale.coordinateTransformations);
  return { scale, translation };
}
