/**
 * An image or label image as the viewer draws it: its axes, the pyramid
 * levels that could be opened (a missing or unreadable level is reported and
 * left out, the others still shown), their geometry, and the channels with
 * their display settings from OMERO metadata.
 */
import { levelTransform, openGroup, openLevel, type NamedStore, type OmeZarrGroup } from '@fairio/ngff/browser';
import { defaultColor, dtypeRange, parseColor, type ChannelDisplay } from './render.js';
import type { LevelGeometry } from './viewport.js';

export interface LayerLevel extends LevelGeometry {
  /** Array path inside the store. */
  arrayPath: string;
  shape: number[];
  chunks: number[];
  dtype: string;
}

export interface Layer {
  kind: 'image' | 'label';
  name: string;
  group: OmeZarrGroup;
  zarrFormat: 2 | 3;
  axes: string[];
  /** Index of each named axis, or -1. */
  t: number;
  c: number;
  z: number;
  y: number;
  x: number;
  /** Levels that opened, finest first. */
  levels: LayerLevel[];
  /** Why the others did not. */
  levelErrors: string[];
  /** Sizes at full resolution. */
  sizeT: number;
  sizeC: number;
  sizeZ: number;
  width0: number;
  height0: number;
  /** Physical size of a level-0 pixel along x, and its unit. */
  pixelSizeX: number;
  unitX?: string;
  pixelSizeY: number;
  unitY?: string;
  channels: ChannelDisplay[];
  /** Whether each channel's window came from metadata (else auto-contrast sets it). */
  windowFromMetadata: boolean[];
  defaultZ: number;
  defaultT: number;
  /** Label colours from image-label metadata. */
  labelColors?: Map<number, [number, number, number]>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Open the multiscale image at `path` of `store` as a layer. Throws when no level at all can be opened. */
export async function openLayer(store: NamedStore, path: string, kind: 'image' | 'label' = 'image'): Promise<Layer> {
  const group = await openGroup(store, path);
  if (group.kind !== 'image') {
    throw new Error(`${group.location} is ${group.kind === 'group' ? 'not an OME-Zarr image (no multiscales metadata)' : `a ${group.kind}, not an image`}`);
  }
  const multiscale = group.metadata!.multiscales![0];
  const axes = multiscale.axes.map((a) => a.name);
  // Names as NGFF recommends them, in any case ('Y', 'X' occur); else the last two space axes are y and x.
  const find = (name: string) => axes.findIndex((a) => a.toLowerCase() === name);
  const [t, c, z] = ['t', 'c', 'z'].map(find);
  let [y, x] = ['y', 'x'].map(find);
  if (y < 0 || x < 0) {
    const space = multiscale.axes.map((a, i) => (a.type === 'space' || a.type === undefined ? i : -1)).filter((i) => i >= 0 && i !== t && i !== c && i !== z);
    if (space.length < 2) throw new Error(`${group.location} has no y and x axes (axes: ${axes.join(', ')})`);
    [y, x] = space.slice(-2);
  }
  const transforms = multiscale.datasets.map((_, i) => levelTransform(multiscale, i));
  const opened = await Promise.allSettled(multiscale.datasets.map((_, i) => openLevel(group, multiscale, i)));
  const levels: LayerLevel[] = [];
  const levelErrors: string[] = [];
  opened.forEach((result, i) => {
    if (result.status === 'rejected') {
      levelErrors.push(message(result.reason));
      return;
    }
    const level = result.value;
    const s = transforms[i].scale;
    const s0 = transforms[0].scale;
    levels.push({
      index: i,
      arrayPath: level.path,
      shape: level.shape,
      chunks: level.chunks,
      dtype: level.dtype,
      height: level.shape[y],
      width: level.shape[x],
      chunkHeight: level.chunks[y],
      chunkWidth: level.chunks[x],
      factorY: s0[y] > 0 ? s[y] / s0[y] : 1,
      factorX: s0[x] > 0 ? s[x] / s0[x] : 1,
    });
  });
  if (levels.length === 0) throw new Error(`no resolution level of ${group.location} can be read: ${levelErrors.join('; ')}`);
  const first = levels[0];
  const size = (axis: number) => (axis < 0 ? 1 : first.shape[axis]);
  const omero = group.metadata!.omero;
  const sizeC = size(c);
  const [lo, hi] = dtypeRange(first.dtype);
  const channels: ChannelDisplay[] = [];
  const windowFromMetadata: boolean[] = [];
  for (let i = 0; i < sizeC; i++) {
    const meta = omero?.channels[i];
    const hasWindow = meta?.window !== undefined && Number.isFinite(meta.window.start) && Number.isFinite(meta.window.end) && meta.window.end > meta.window.start;
    windowFromMetadata.push(hasWindow);
    channels.push({
      label: meta?.label ?? `channel ${i}`,
      visible: meta?.active ?? i < 4,
      color: meta?.color ? parseColor(meta.color) : defaultColor(i, sizeC),
      min: hasWindow ? meta!.window!.start : lo,
      max: hasWindow ? meta!.window!.end : hi,
    });
  }
  const imageLabel = group.metadata!.imageLabel;
  let labelColors: Map<number, [number, number, number]> | undefined;
  if (imageLabel?.colors?.length) {
    labelColors = new Map();
    for (const entry of imageLabel.colors) {
      if (entry.rgba) labelColors.set(entry['label-value'], [entry.rgba[0], entry.rgba[1], entry.rgba[2]]);
    }
  }
  const clampIndex = (v: number | undefined, n: number, fallback: number) => (v !== undefined && Number.isInteger(v) && v >= 0 && v < n ? v : fallback);
  const sizeZ = size(z);
  return {
    kind,
    name: multiscale.name ?? (path.split('/').pop() || store.location.split('/').pop() || 'image'),
    group,
    zarrFormat: group.zarrFormat,
    axes,
    t, c, z, y, x,
    levels,
    levelErrors,
    sizeT: size(t),
    sizeC,
    sizeZ,
    width0: first.width * first.factorX,
    height0: first.height * first.factorY,
    pixelSizeX: transforms[0].scale[x],
    unitX: multiscale.axes[x].unit,
    pixelSizeY: transforms[0].scale[y],
    unitY: multiscale.axes[y].unit,
    channels,
    windowFromMetadata,
    defaultZ: clampIndex(omero?.rdefs?.defaultZ, sizeZ, Math.floor(sizeZ / 2)),
    defaultT: clampIndex(omero?.rdefs?.defaultT, size(t), 0),
    labelColors,
  };
}

/** Index along an axis at a level, from the index at the finest open level (z and t can be downsampled too in some pyramids). */
export function indexAtLevel(layer: Layer, level: LayerLevel, axis: number, index0: number): number {
  if (axis < 0) return 0;
  const full = layer.levels[0].shape[axis];
  return Math.min(level.shape[axis] - 1, Math.floor((index0 * level.shape[axis]) / full));
}

/**
 * Which chunk holds the plane (t, c, z) of a tile, and where the plane lies
 * inside it: the chunk grid position and the index within the chunk per axis
 * (y and x come from the tile; indices are at this level).
 */
export function chunkPosition(layer: Layer, level: LayerLevel, plane: { t: number; c: number; z: number }, tile: { cy: number; cx: number }): { coord: number[]; within: number[] } {
  const coord = level.shape.map(() => 0);
  const within = level.shape.map(() => 0);
  for (const [axis, index] of [[layer.t, plane.t], [layer.c, plane.c], [layer.z, plane.z]] as const) {
    if (axis < 0) continue;
    coord[axis] = Math.floor(index / level.chunks[axis]);
    within[axis] = index % level.chunks[axis];
  }
  coord[layer.y] = tile.cy;
  coord[layer.x] = tile.cx;
  return { coord, within };
}
