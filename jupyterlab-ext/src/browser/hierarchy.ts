/**
 * What an OME-Zarr holds, as a tree for the sidebar: images with their
 * pyramid levels and label images, bioformats2raw series, plates with their
 * wells and fields. Reading is tolerant: a level or label that cannot be
 * opened becomes an `error` node with the reason, the rest is still listed.
 */
import { openGroup, openLevel, type NamedStore, type OmeZarrGroup, type Multiscale, type Omero, type Axis } from '@fairio/ngff/browser';

export type NodeKind = 'image' | 'labels' | 'series' | 'plate' | 'well' | 'field' | 'level' | 'group' | 'error';

export interface HierarchyNode {
  kind: NodeKind;
  label: string;
  /** One line under the label (shape, dtype, counts). */
  detail?: string;
  /** Group path inside the store that opens in the viewer (images, labels, fields) or the plate grid. */
  path?: string;
  children: HierarchyNode[];
  /** Metadata shown when the node is selected. */
  metadata?: ImageMetadata | PlateMetadata;
}

export interface ImageMetadata {
  type: 'image';
  ngffVersion: string;
  zarrFormat: 2 | 3;
  name?: string;
  axes: Axis[];
  levels: { path: string; shape?: number[]; chunks?: number[]; dtype?: string; scale?: number[]; error?: string }[];
  omero?: Omero;
  isLabel: boolean;
}

export interface PlateMetadata {
  type: 'plate';
  ngffVersion: string;
  name?: string;
  rows: string[];
  columns: string[];
  wells: number;
  fieldCount?: number;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function imageNode(group: OmeZarrGroup, label: string, kind: NodeKind, withLabels = true): Promise<HierarchyNode> {
  const multiscale = group.metadata!.multiscales![0] as Multiscale;
  const opened = await Promise.allSettled(multiscale.datasets.map((_, i) => openLevel(group, multiscale, i)));
  const levels: ImageMetadata['levels'] = opened.map((r, i) =>
    r.status === 'fulfilled'
      ? { path: multiscale.datasets[i].path, shape: r.value.shape, chunks: r.value.chunks, dtype: r.value.dtype, scale: r.value.scale }
      : { path: multiscale.datasets[i].path, error: message(r.reason) },
  );
  const children: HierarchyNode[] = levels.map((l, i) =>
    l.error
      ? { kind: 'error', label: `level ${i} (${l.path})`, detail: l.error, children: [] }
      : { kind: 'level', label: `level ${i} (${l.path})`, detail: `${l.shape!.join(' × ')} ${l.dtype}, chunks ${l.chunks!.join(' × ')}`, children: [] },
  );
  if (withLabels) {
    const names = await group.labelNames().catch((e: unknown) => {
      children.push({ kind: 'error', label: 'labels', detail: message(e), children: [] });
      return [] as string[];
    });
    for (const name of names) {
      const labelGroup = await group.child(`labels/${name}`).catch((e: unknown) => e);
      if (labelGroup instanceof Error || (labelGroup as OmeZarrGroup).kind !== 'image') {
        children.push({ kind: 'error', label: `label ${name}`, detail: labelGroup instanceof Error ? labelGroup.message : 'not an image', children: [] });
      } else {
        children.push(await imageNode(labelGroup as OmeZarrGroup, `label ${name}`, 'labels', false));
      }
    }
  }
  const first = levels.find((l) => l.shape);
  return {
    kind,
    label,
    detail: first ? `${multiscale.axes.map((a) => a.name).join('')} ${first.shape!.join(' × ')} ${first.dtype}` : 'no readable level',
    path: group.path,
    children,
    metadata: {
      type: 'image',
      ngffVersion: group.metadata!.version,
      zarrFormat: group.zarrFormat,
      name: multiscale.name,
      axes: multiscale.axes,
      levels,
      omero: group.metadata!.omero,
      isLabel: group.metadata!.imageLabel !== undefined,
    },
  };
}

/** The tree of everything below the store root (wells are listed, their fields opened on demand). */
export async function describeHierarchy(store: NamedStore): Promise<HierarchyNode> {
  const root = await openGroup(store, '');
  const name = store.location.split('/').filter(Boolean).pop() ?? store.location;
  switch (root.kind) {
    case 'image':
      return imageNode(root, root.metadata?.multiscales?.[0]?.name ?? name, 'image');
    case 'bioformats2raw': {
      const series = await root.seriesPaths();
      const children = await Promise.all(series.map(async (s) => {
        try {
          return await imageNode(await root.child(s), `series ${s}`, 'series');
        } catch (e) {
          return { kind: 'error', label: `series ${s}`, detail: message(e), children: [] } as HierarchyNode;
        }
      }));
      return { kind: 'group', label: name, detail: `bioformats2raw container, ${series.length} series`, children };
    }
    case 'plate': {
      const plate = root.metadata!.plate!;
      const wells: HierarchyNode[] = plate.wells.map((w) => ({ kind: 'well', label: `well ${w.path}`, path: w.path, children: [] }));
      return {
        kind: 'plate',
        label: plate.name ?? name,
        detail: `plate ${plate.rows.length} × ${plate.columns.length}, ${plate.wells.length} wells`,
        path: '',
        children: wells,
        metadata: {
          type: 'plate',
          ngffVersion: root.metadata!.version,
          name: plate.name,
          rows: plate.rows.map((r) => r.name),
          columns: plate.columns.map((c) => c.name),
          wells: plate.wells.length,
          fieldCount: plate.field_count,
        },
      };
    }
    case 'well': {
      const fields = root.metadata!.well!.images.map((i) => ({ kind: 'field' as const, label: `field ${i.path}`, path: i.path, children: [] }));
      return { kind: 'well', label: name, detail: `well, ${fields.length} fields`, children: fields };
    }
    default:
      throw new Error(`${store.location} is a Zarr group but not OME-Zarr: it has no multiscales, plate, well or bioformats2raw metadata`);
  }
}

/** The fields of a well, listed when the well is expanded. */
export async function wellFields(store: NamedStore, wellPath: string): Promise<HierarchyNode[]> {
  const well = await openGroup(store, wellPath);
  const images = well.metadata?.well?.images ?? [];
  return images.map((i) => ({ kind: 'field', label: `field ${i.path}`, path: `${wellPath}/${i.path}`, children: [] }));
}
