/**
 * A plain-data description of an OME-Zarr hierarchy for `fairio info`, the
 * JupyterLab browser and provenance: what it is, its images, levels, axes,
 * physical sizes and channels. Serialisable as JSON as it stands.
 */
import type { Axis, ImageLabel, OmeroChannel } from './metadata/types.js';
import { openOmeZarr, type GroupKind, type OmeZarrGroup } from './open.js';

export interface LevelSummary {
  path: string;
  shape: number[];
  chunks: number[];
  dtype: string;
  scale: number[];
  translation: number[];
}

export interface ImageSummary {
  path: string;
  name?: string;
  axes: Axis[];
  levels: LevelSummary[];
  channels?: OmeroChannel[];
  /** Label images under `labels/`, summarised the same way. */
  labels?: ImageSummary[];
  /** Present when this image is itself a label image. */
  imageLabel?: ImageLabel;
}

export interface PlateSummary {
  name?: string;
  rows: string[];
  columns: string[];
  wells: string[];
  fieldsPerWell?: number;
  /** The first field of the first well, as an example of what every field holds. */
  firstField?: ImageSummary;
}

export interface OmeZarrSummary {
  location: string;
  kind: GroupKind;
  ngffVersion?: string;
  zarrFormat: 2 | 3;
  image?: ImageSummary;
  series?: ImageSummary[];
  plate?: PlateSummary;
  well?: { fields: string[]; firstField?: ImageSummary };
  labelNames?: string[];
}

async function summariseImage(group: OmeZarrGroup, withLabels = true): Promise<ImageSummary> {
  const image = await group.image();
  const summary: ImageSummary = {
    path: group.path,
    name: image.name,
    axes: image.axes,
    levels: image.levels.map((l) => ({ path: l.path, shape: l.shape, chunks: l.chunks, dtype: l.dtype, scale: l.scale, translation: l.translation })),
  };
  if (image.omero?.channels.length) summary.channels = image.omero.channels;
  if (image.imageLabel) summary.imageLabel = image.imageLabel;
  if (withLabels) {
    const names = await group.labelNames();
    if (names.length) summary.labels = await Promise.all(names.map(async (n) => summariseImage(await group.child(`labels/${n}`), false)));
  }
  return summary;
}

/** Describe the group at `location` (a path or URL). */
export async function summarise(location: string): Promise<OmeZarrSummary> {
  const group = await openOmeZarr(location);
  const summary: OmeZarrSummary = { location, kind: group.kind, ngffVersion: group.metadata?.version, zarrFormat: group.zarrFormat };
  switch (group.kind) {
    case 'image':
      summary.image = await summariseImage(group);
      break;
    case 'bioformats2raw': {
      const paths = await group.seriesPaths();
      summary.series = await Promise.all(paths.map(async (p) => summariseImage(await group.child(p))));
      break;
    }
    case 'plate': {
      const plate = group.metadata!.plate!;
      summary.plate = {
        name: plate.name,
        rows: plate.rows.map((r) => r.name),
        columns: plate.columns.map((c) => c.name),
        wells: plate.wells.map((w) => w.path),
        fieldsPerWell: plate.field_count,
      };
      if (plate.wells.length) {
        const well = await group.child(plate.wells[0].path);
        const first = well.metadata?.well?.images[0];
        summary.plate.fieldsPerWell ??= well.metadata?.well?.images.length;
        if (first) summary.plate.firstField = await summariseImage(await well.child(first.path));
      }
      break;
    }
    case 'well': {
      const fields = group.metadata!.well!.images.map((i) => i.path);
      summary.well = { fields };
      if (fields.length) summary.well.firstField = await summariseImage(await group.child(fields[0]));
      break;
    }
    case 'labels':
      summary.labelNames = group.metadata!.labels;
      break;
    default:
      break;
  }
  return summary;
}
