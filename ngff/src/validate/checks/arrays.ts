/**
 * Semantic checks that compare a multiscale's metadata with the arrays it
 * points to (their Zarr metadata only; no chunk is read): dimensions, names,
 * the pyramid's shapes, chunking and data types.
 */
import type { NgffVersion } from '../../metadata/types.js';
import { isObject } from '../detect.js';
import { isIntegerDtype, type ArrayInfo } from '../nodes.js';
import { error, info, warning, type Finding } from '../report.js';
import { arrayOf, type LooseMultiscale } from './model.js';

export interface PyramidContext {
  version: NgffVersion;
  multiscale: LooseMultiscale;
  /** One entry per dataset, undefined where the array is missing or unreadable. */
  levels: (ArrayInfo | undefined)[];
  /** Store path of each dataset (for finding paths). */
  levelPaths: string[];
  /** The group's `omero`, when present. */
  omero?: unknown;
  /** True for an image under `labels/`. */
  isLabel: boolean;
}

export interface PyramidCheck {
  name: string;
  run(ctx: PyramidContext): Finding[];
}

function present(ctx: PyramidContext): { level: ArrayInfo; index: number; path: string }[] {
  return ctx.levels.flatMap((level, index) => (level ? [{ level, index, path: ctx.levelPaths[index] }] : []));
}

const fmt = (shape: number[]) => `[${shape.join(', ')}]`;

/** Each array has one dimension per axis, and its scale/translation one entry per dimension. */
export const axesNdim: PyramidCheck = {
  name: 'axes-ndim-mismatch',
  run: (ctx) =>
    present(ctx).flatMap(({ level, index, path }): Finding[] => {
      const out: Finding[] = [];
      const ndim = level.shape.length;
      const axes = ctx.multiscale.axes;
      if (axes && axes.length !== ndim) {
        out.push(error('axes-ndim-mismatch', `array has ${ndim} dimensions ${fmt(level.shape)} but the multiscale has ${axes.length} axes (${axes.map((a) => a.name).join(', ')})`, path));
      }
      const d = ctx.multiscale.datasets[index];
      for (const [what, values] of [['scale', d.scale], ['translation', d.translation]] as const) {
        if (values && values.length !== ndim) {
          out.push(error('scale-length-mismatch', `${what} has ${values.length} entries but the array has ${ndim} dimensions`, path));
        }
      }
      return out;
    }),
};

/** Zarr v3 `dimension_names`, where given, are the axis names in order. */
export const dimensionNames: PyramidCheck = {
  name: 'dimension-names-mismatch',
  run: (ctx) => {
    const axes = ctx.multiscale.axes?.map((a) => a.name);
    if (!axes) return [];
    return present(ctx).flatMap(({ level, path }) => {
      const names = level.dimensionNames;
      if (!names) return [];
      const differs = names.length !== axes.length || names.some((n, i) => n !== null && n !== axes[i]);
      return differs ? [error('dimension-names-mismatch', `dimension_names ${JSON.stringify(names)} differ from the axis names ${JSON.stringify(axes)}`, path)] : [];
    });
  },
};

/** From one level to the next no dimension grows, and at least one shrinks. */
export const levelsShrink: PyramidCheck = {
  name: 'levels-not-shrinking',
  run: (ctx) => {
    const out: Finding[] = [];
    const levels = present(ctx);
    for (let k = 1; k < levels.length; k++) {
      const a = levels[k - 1].level.shape;
      const b = levels[k].level.shape;
      if (a.length !== b.length) continue; // reported by axes-ndim-mismatch
      const grows = b.findIndex((n, j) => n > a[j]);
      if (grows >= 0) {
        const axis = ctx.multiscale.axes?.[grows]?.name ?? String(grows);
        out.push(error('levels-not-shrinking', `level "${levels[k].path}" ${fmt(b)} is larger than the level before it ${fmt(a)} on axis "${axis}"`, levels[k].path));
      } else if (b.every((n, j) => n === a[j])) {
        out.push(error('levels-not-shrinking', `level "${levels[k].path}" has the same shape ${fmt(b)} as the level before it; each level must be smaller`, levels[k].path));
      }
    }
    return out;
  },
};

/** A level's shape follows from level 0 and the ratio of their scales (within rounding). */
export const scaleMatchesShape: PyramidCheck = {
  name: 'scale-shape-mismatch',
  run: (ctx) => {
    const levels = present(ctx);
    const base = levels[0];
    if (!base) return [];
    const s0 = ctx.multiscale.datasets[base.index].scale;
    if (!s0) return [];
    return levels.slice(1).flatMap(({ level, index, path }) => {
      const s = ctx.multiscale.datasets[index].scale;
      if (!s || s.length !== s0.length || level.shape.length !== s.length || base.level.shape.length !== s.length) return [];
      const bad = level.shape.findIndex((n, j) => {
        if (s[j] <= 0 || s0[j] <= 0) return false;
        const expected = (base.level.shape[j] * s0[j]) / s[j];
        return Math.abs(n - expected) > 1 + 1e-6 * expected;
      });
      if (bad < 0) return [];
      const axis = ctx.multiscale.axes?.[bad]?.name ?? String(bad);
      return [warning('scale-shape-mismatch', `on axis "${axis}" the scale says ${((base.level.shape[bad] * s0[bad]) / s[bad]).toFixed(1)} pixels but the array has ${level.shape[bad]}`, path)];
    });
  },
};

/** Chunks have one entry per dimension; chunks larger than the array are legal but wasteful. */
export const chunkShapes: PyramidCheck = {
  name: 'chunks-inconsistent',
  run: (ctx) =>
    present(ctx).flatMap(({ level, path }): Finding[] => {
      const out: Finding[] = [];
      for (const [what, chunks] of [['chunk shape', level.chunks], ['inner chunk shape', level.innerChunks]] as const) {
        if (!chunks) continue;
        if (chunks.length !== level.shape.length) {
          out.push(error('chunks-inconsistent', `${what} ${fmt(chunks)} has ${chunks.length} entries but the array has ${level.shape.length} dimensions`, path));
        } else if (chunks.some((c) => c === 0)) {
          out.push(error('chunks-inconsistent', `${what} ${fmt(chunks)} has a zero-sized dimension`, path));
        }
      }
      if (level.chunks && level.innerChunks && level.chunks.length === level.innerChunks.length && level.chunks.some((c, j) => c % level.innerChunks![j] !== 0)) {
        out.push(error('chunks-inconsistent', `shard shape ${fmt(level.chunks)} is not a multiple of the inner chunk shape ${fmt(level.innerChunks)}`, path));
      }
      if (level.chunks && level.chunks.length === level.shape.length && level.chunks.some((c, j) => c > level.shape[j] && level.shape[j] > 0)) {
        out.push(info('chunks-larger-than-shape', `chunk shape ${fmt(level.chunks)} exceeds the array shape ${fmt(level.shape)} on some axis`, path));
      }
      return out;
    }),
};

/** All levels share one data type; label images hold integers. */
export const dataTypes: PyramidCheck = {
  name: 'dtype',
  run: (ctx) => {
    const levels = present(ctx);
    const out: Finding[] = [];
    const types = [...new Set(levels.map((l) => l.level.dtype))];
    if (types.length > 1) out.push(warning('dtype-inconsistent', `levels use different data types (${types.join(', ')})`, levels[0].path));
    if (ctx.isLabel) {
      for (const { level, path } of levels) {
        if (!isIntegerDtype(level.dtype)) out.push(error('dtype-label-not-integer', `label image has data type ${level.dtype}; label values must be integers`, path));
      }
    }
    return out;
  },
};

/** `omero` lists one channel per entry of the channel axis. */
export const omeroChannels: PyramidCheck = {
  name: 'omero-channels-mismatch',
  run: (ctx) => {
    const omero = ctx.omero;
    const first = present(ctx)[0];
    if (!isObject(omero) || !Array.isArray(omero.channels) || !first) return [];
    const c = ctx.multiscale.axes?.findIndex((a) => a.type === 'channel') ?? -1;
    const expected = c >= 0 && first.level.shape.length > c ? first.level.shape[c] : 1;
    const listed = arrayOf(omero.channels).length;
    return listed !== expected ? [warning('omero-channels-mismatch', `omero lists ${listed} channel(s) but the image has ${expected}`, first.path)] : [];
  },
};

export const PYRAMID_CHECKS: readonly PyramidCheck[] = [axesNdim, dimensionNames, levelsShrink, scaleMatchesShape, chunkShapes, dataTypes, omeroChannels];

export function pyramidChecks(ctx: PyramidContext): Finding[] {
  return PYRAMID_CHECKS.flatMap((c) => c.run(ctx));
}
