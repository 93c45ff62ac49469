/**
 * Validate a whole OME-Zarr store: walk the hierarchy the metadata describes
 * (image → labels/ → label images; plate → wells → fields of view;
 * bioformats2raw → series), check each group's attributes against the
 * schemas and the semantic checks, and compare each multiscale with the
 * Zarr metadata of its arrays. Only metadata is read, never a chunk, so
 * metadata-only stores validate too.
 */
import type { NgffVersion } from '../metadata/types.js';
import { openStore, type NamedStore } from '../store.js';
import { attributeFindings } from './attributes.js';
import { pyramidChecks } from './checks/arrays.js';
import { arrayOf, looseMultiscales } from './checks/model.js';
import { claimedVersion, isObject, kindsOf, namespaceOf, type JsonObject } from './detect.js';
import { displayPath, joinPath, readNode, rootFormat, type ArrayInfo, type ZarrFormat, type ZarrNode } from './nodes.js';
import { buildReport, error, info, warning, type Finding, type Severity, type ValidateOptions, type ValidationReport } from './report.js';

export interface StoreOptions extends ValidateOptions {
  /**
   * The store holds metadata only (like upstream's `0.6rc0/tests/zarr`
   * fixtures, which have no arrays at all): arrays and groups the metadata
   * refers to but that are absent become notes instead of errors. Anything
   * that is present is still checked in full.
   */
  metadataOnly?: boolean;
  /** How many metadata reads run at once (HTTP stores benefit). Default 16. */
  concurrency?: number;
}

/** What the walker expects to find at a path, for role-specific findings. */
type Role = 'root' | 'label' | 'well' | 'field' | 'series';

/** Codes for references to nodes that do not exist; `metadataOnly` turns them into notes. */
const MISSING = { dataset: 'dataset-missing', label: 'label-missing', well: 'well-missing', field: 'field-missing', series: 'series-missing' } as const;

/** A tiny semaphore so a 1536-well plate over HTTP does not open thousands of requests at once. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

class Walker {
  readonly findings: Finding[] = [];
  private readonly visited = new Set<string>();
  private readonly limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly store: NamedStore,
    private readonly format: ZarrFormat,
    private readonly options: StoreOptions,
    readonly rootVersion: NgffVersion | undefined,
  ) {
    this.limit = limiter(options.concurrency ?? 16);
  }

  private add(...findings: Finding[]): void {
    this.findings.push(...findings);
  }

  private missing(kind: keyof typeof MISSING, message: string, path: string): void {
    const severity: Severity = this.options.metadataOnly ? 'info' : 'error';
    this.add({ code: MISSING[kind], severity, message: this.options.metadataOnly ? `${message} (metadata-only: not required)` : message, path });
  }

  /** Read a node, noticing Zarr v2/v3 mixing. */
  private async node(path: string): Promise<ZarrNode> {
    const node = await this.limit(() => readNode(this.store, path, this.format));
    if (node.type !== 'missing') return node;
    const other = await this.limit(() => readNode(this.store, path, this.format === 2 ? 3 : 2));
    if (other.type === 'group' || other.type === 'array') {
      this.add(error('zarr-format-mixed', `this node is Zarr v${other.format} but the store root is Zarr v${this.format}`, displayPath(path)));
      return other;
    }
    return node;
  }

  /** Validate the group at `path` in the given role, then whatever its metadata points to. */
  async group(path: string, role: Role): Promise<void> {
    if (this.visited.has(path)) return;
    this.visited.add(path);
    const node = await this.node(path);
    const where = displayPath(path);
    if (node.type === 'missing') {
      if (role === 'root') this.add(error('zarr-metadata-missing', 'no Zarr group here', where));
      else this.missing(role, `${role === 'field' ? 'field of view' : role} group "${path}" does not exist`, where);
      return;
    }
    if (node.type === 'unreadable') return this.add(...node.findings);
    if (node.type === 'array') return this.add(error('not-a-group', `expected a group (${role === 'root' ? 'the OME-Zarr root' : role}) but found an array`, where));

    const attrs = node.attributes;
    const claim = claimedVersion(attrs);
    const version = claim.version && !claim.assumed ? claim.version : (this.rootVersion ?? claim.version);
    const { findings } = attributeFindings(attrs, { strict: this.options.strict, version, nodePath: where });
    this.add(...findings.filter((f) => role === 'root' || f.code !== 'version-assumed'));
    if (!version) return;
    if (this.rootVersion && version !== this.rootVersion) {
      this.add(warning('version-inconsistent', `group is OME-NGFF ${version} inside an OME-NGFF ${this.rootVersion} hierarchy`, where));
    }
    const expectedFormat = version === '0.4' ? 2 : 3;
    if (node.format !== expectedFormat) {
      this.add(error('zarr-format-mismatch', `OME-NGFF ${version} is stored in Zarr v${expectedFormat}, but this group is Zarr v${node.format}`, where));
    }

    const ns = namespaceOf(attrs, version) ?? {};
    const kinds = kindsOf(ns);
    const tasks: Promise<void>[] = [];
    if (role === 'label' && !kinds.includes('image')) this.add(error('label-not-image', 'a label image needs "multiscales" metadata', where));
    if (role === 'label' && !kinds.includes('label')) this.add(warning('label-metadata-missing', 'label image has no "image-label" metadata', where));
    if ((role === 'field' || role === 'series') && !kinds.includes('image')) {
      this.add(error(`${role}-not-image`, `a ${role === 'field' ? 'field of view' : 'series'} must be an image with "multiscales" metadata`, where));
    }
    if (kinds.includes('image')) tasks.push(this.image(path, ns, version, role === 'label'));
    if (kinds.includes('plate')) tasks.push(this.plate(path, ns));
    if (kinds.includes('well')) tasks.push(this.well(path, ns, undefined));
    if (kinds.includes('bf2raw')) tasks.push(this.bioformats2raw(path, version));
    if ('labels' in ns && !kinds.includes('image')) tasks.push(this.labelsGroup(path, ns));
    if (kinds.includes('scene')) this.add(info('scene-not-followed', 'scene metadata is schema-checked; the images it references are not opened', where));
    await Promise.all(tasks);
  }

  private async image(path: string, ns: JsonObject, version: NgffVersion, isLabel: boolean): Promise<void> {
    const multiscales = looseMultiscales(ns, version);
    await Promise.all(
      multiscales.map(async (multiscale) => {
        const levelPaths = multiscale.datasets.map((d) => joinPath(path, d.path ?? ''));
        const levels = await Promise.all(
          multiscale.datasets.map(async (d, i): Promise<ArrayInfo | undefined> => {
            if (d.path === undefined || d.path === '' || d.path.split('/').includes('..')) return undefined; // reported by the attribute checks
            const node = await this.node(levelPaths[i]);
            const where = displayPath(levelPaths[i]);
            if (node.type === 'missing') this.missing('dataset', `dataset "${d.path}" of multiscale ${multiscale.index} does not exist`, where);
            else if (node.type === 'unreadable') this.add(...node.findings);
            else if (node.type === 'group') this.add(error('dataset-not-array', `dataset "${d.path}" is a group, not an array`, where));
            else {
              this.add(...node.findings);
              return node.array;
            }
            return undefined;
          }),
        );
        this.add(...pyramidChecks({ version, multiscale, levels, levelPaths: levelPaths.map(displayPath), omero: ns.omero, isLabel }));
      }),
    );
    if (!isLabel) await this.labels(path);
  }

  /** An image's optional `labels/` group. */
  private async labels(imagePath: string): Promise<void> {
    const path = joinPath(imagePath, 'labels');
    const node = await this.node(path);
    if (node.type === 'missing') return;
    if (node.type === 'unreadable') return this.add(...node.findings);
    if (node.type !== 'group') return this.add(error('not-a-group', '"labels" must be a group', displayPath(path)));
    this.visited.add(path);
    const claim = claimedVersion(node.attributes);
    const ns = namespaceOf(node.attributes, claim.version ?? this.rootVersion) ?? node.attributes;
    await this.labelsGroup(path, ns);
  }

  private async labelsGroup(path: string, ns: JsonObject): Promise<void> {
    const where = displayPath(path);
    if (!('labels' in ns)) return this.add(warning('labels-list-missing', 'the labels group does not list its label images ("labels" key)', where));
    if (!Array.isArray(ns.labels) || !ns.labels.every((l) => typeof l === 'string')) {
      return this.add(error('labels-list-invalid', '"labels" must be a list of label image paths', where));
    }
    await Promise.all(ns.labels.map((name: string) => this.group(joinPath(path, name), 'label')));
  }

  private async plate(path: string, ns: JsonObject): Promise<void> {
    const plate = isObject(ns.plate) ? ns.plate : {};
    const acquisitions = new Set(arrayOf(plate.acquisitions).flatMap((a) => (isObject(a) && a.id !== undefined ? [a.id] : [])));
    const wells = arrayOf(plate.wells).flatMap((w) => (isObject(w) && typeof w.path === 'string' ? [w.path] : []));
    await Promise.all(wells.map((w) => this.wellAt(joinPath(path, w), acquisitions)));
  }

  private async wellAt(path: string, acquisitions: Set<unknown>): Promise<void> {
    if (this.visited.has(path)) return;
    this.visited.add(path);
    const node = await this.node(path);
    const where = displayPath(path);
    if (node.type === 'missing') return this.missing('well', `well "${path}" listed in the plate does not exist`, where);
    if (node.type === 'unreadable') return this.add(...node.findings);
    if (node.type !== 'group') return this.add(error('not-a-group', 'a well must be a group', where));
    const claim = claimedVersion(node.attributes);
    const version = claim.version && !claim.assumed ? claim.version : this.rootVersion;
    const { findings } = attributeFindings(node.attributes, { strict: this.options.strict, version, nodePath: where });
    this.add(...findings.filter((f) => f.code !== 'version-assumed'));
    const ns = namespaceOf(node.attributes, version) ?? {};
    if (!isObject(ns.well)) return this.add(error('well-metadata-missing', 'well group has no "well" metadata', where));
    await this.well(path, ns, acquisitions);
  }

  private async well(path: string, ns: JsonObject, acquisitions: Set<unknown> | undefined): Promise<void> {
    const well = isObject(ns.well) ? ns.well : {};
    const images = arrayOf(well.images).filter(isObject);
    if (acquisitions && acquisitions.size > 0) {
      for (const im of images) {
        if (im.acquisition !== undefined && !acquisitions.has(im.acquisition)) {
          this.add(warning('acquisition-unknown', `field "${String(im.path)}" names acquisition ${JSON.stringify(im.acquisition)}, which the plate does not list`, displayPath(path)));
        }
      }
    }
    await Promise.all(images.flatMap((im) => (typeof im.path === 'string' ? [this.group(joinPath(path, im.path), 'field')] : [])));
  }

  /** bioformats2raw layout 3: series listed in `OME/` (`series`), else numbered groups 0, 1, 2… */
  private async bioformats2raw(path: string, version: NgffVersion): Promise<void> {
    const omePath = joinPath(path, 'OME');
    const ome = await this.node(omePath);
    let series: string[] | undefined;
    if (ome.type === 'group') {
      this.visited.add(omePath);
      const { findings } = attributeFindings(ome.attributes, { strict: this.options.strict, version, nodePath: displayPath(omePath) });
      this.add(...findings.filter((f) => f.code !== 'ngff-metadata-missing' && f.code !== 'version-assumed'));
      const ns = namespaceOf(ome.attributes, version) ?? {};
      if (Array.isArray(ns.series)) series = ns.series.filter((s): s is string => typeof s === 'string');
      const xml = await this.limit(() => this.store.get(`/${joinPath(omePath, 'METADATA.ome.xml')}`)).catch(() => undefined);
      if (!xml) this.add(info('ome-xml-missing', 'OME/METADATA.ome.xml is absent; acquisition metadata from the original file is lost', displayPath(omePath)));
    } else if (ome.type === 'unreadable') {
      this.add(...ome.findings);
    } else {
      this.add(info('ome-group-missing', 'no OME/ group; series are looked for as numbered groups 0, 1, 2…', displayPath(path)));
    }
    if (series) {
      if (series.length === 0) this.add(error('series-missing', 'OME/ lists no series', displayPath(omePath)));
      await Promise.all(series.map((s) => this.group(joinPath(path, s), 'series')));
      return;
    }
    for (let i = 0; ; i++) {
      const p = joinPath(path, String(i));
      const node = await this.node(p);
      if (node.type === 'missing') {
        if (i === 0) this.missing('series', 'bioformats2raw container has no series "0"', displayPath(p));
        return;
      }
      await this.group(p, 'series');
    }
  }
}

/**
 * Validate a whole store (local folder, `.zip`, or http(s) URL). Invalid
 * content is reported as findings; only a local path that does not exist
 * (NOT_FOUND) or a missing schema folder throws.
 */
export async function validateStore(location: string, options: StoreOptions = {}): Promise<ValidationReport> {
  const store = openStore(location);
  const { format, findings: rootFindings } = await rootFormat(store);
  if (!format) return buildReport(rootFindings, undefined, location, options.strict);
  const root = await readNode(store, '', format);
  let version: NgffVersion | undefined;
  if (root.type === 'group') {
    const claim = claimedVersion(root.attributes);
    version = claim.version;
  }
  const walker = new Walker(store, format, options, version);
  await walker.group('', 'root');
  return buildReport([...rootFindings, ...walker.findings], version, location, options.strict);
}
