/**
 * The OME-NGFF attributes fairio writes for an image: `multiscales` (axes,
 * one dataset per level with its scale and translation), `omero` channels
 * (name, colour, display window) and `image-label` for label images, laid out
 * for NGFF 0.4 (top level of `.zattrs`) or 0.5 (under `ome` in `zarr.json`).
 */
import type { Axis, ImageLabel } from '../metadata/types.js';

export type WritableNgffVersion = '0.4' | '0.5';

export interface ChannelDisplay {
  label?: string;
  /** Hex RGB without '#'. */
  color?: string;
  window?: { start: number; end: number; min: number; max: number };
}

export interface ImageAttributesInput {
  version: WritableNgffVersion;
  name?: string;
  axes: Axis[];
  levels: { path: string; scale: number[]; translation?: number[] }[];
  channels?: ChannelDisplay[];
  imageLabel?: ImageLabel;
  /** How the pyramid was made, recorded in `multiscales[].metadata` for provenance. */
  downsampling?: { method: string; version: string };
}

const DEFAULT_COLORS = ['00FFFF', 'FF00FF', 'FFFF00', 'FF0000', '00FF00', '0000FF', 'FFFFFF'];

/** Group attributes in the layout of the chosen NGFF version. */
export function imageAttributes(input: ImageAttributesInput): Record<string, unknown> {
  const multiscale: Record<string, unknown> = {
    ...(input.version === '0.4' ? { version: '0.4' } : {}),
    name: input.name ?? 'image',
    axes: input.axes.map((a) => ({ name: a.name, ...(a.type ? { type: a.type } : {}), ...(a.unit ? { unit: a.unit } : {}) })),
    datasets: input.levels.map((l) => ({
      path: l.path,
      coordinateTransformations: [
        { type: 'scale', scale: l.scale },
        ...(l.translation && l.translation.some((t) => t !== 0) ? [{ type: 'translation', translation: l.translation }] : []),
      ],
    })),
    ...(input.downsampling ? { type: input.downsampling.method, metadata: input.downsampling } : {}),
  };
  const ome: Record<string, unknown> = { multiscales: [multiscale] };
  if (input.channels?.length) {
    ome.omero = {
      ...(input.version === '0.4' ? { version: '0.4' } : {}),
      name: input.name ?? 'image',
      channels: input.channels.map((c, i) => ({
        label: c.label ?? `Channel ${i}`,
        color: c.color ?? (input.channels!.length === 1 ? 'FFFFFF' : DEFAULT_COLORS[i % DEFAULT_COLORS.length]),
        active: true,
        coefficient: 1,
        family: 'linear',
        inverted: false,
        ...(c.window ? { window: c.window } : {}),
      })),
      rdefs: { model: input.channels.length > 1 ? 'color' : 'greyscale' },
    };
  }
  if (input.imageLabel) ome['image-label'] = { ...(input.version === '0.4' ? { version: '0.4' } : {}), ...input.imageLabel };
  return input.version === '0.4' ? ome : { ome: { version: '0.5', ...ome } };
}

/** Attributes of a `labels/` group listing its label images. */
export function labelsGroupAttributes(version: WritableNgffVersion, names: string[]): Record<string, unknown> {
  return version === '0.4' ? { labels: names } : { ome: { version: '0.5', labels: names } };
}
