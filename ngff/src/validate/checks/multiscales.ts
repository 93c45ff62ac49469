/**
 * Semantic checks on `multiscales` that the schemas cannot express: lengths
 * that must agree with the number of axes, dataset paths, the order of
 * resolution levels, and (0.6) the coordinate systems transformations name.
 */
import { error, info, warning, type Finding } from '../report.js';
import { pointer, type AttributeCheck, type AttributeContext } from './context.js';
import { looseMultiscales, type LooseMultiscale } from './model.js';

function each(ctx: AttributeContext, check: (m: LooseMultiscale, at: (...p: (string | number)[]) => string) => Finding[]): Finding[] {
  return looseMultiscales(ctx.ns, ctx.version).flatMap((m) =>
    check(m, (...p) => pointer(ctx, 'multiscales', m.index, ...p)),
  );
}

/**
 * Every scale and translation has one entry per axis. The spec says MUST, but
 * the 0.4 and 0.6rc0 conformance suites each hold a *valid* document that
 * breaks it, and the suites decide; so on bare attributes this is a warning
 * (a failure under strict). Against real arrays `axes-ndim-mismatch` is an error.
 */
export const scaleLength: AttributeCheck = {
  name: 'scale-length-mismatch',
  kind: 'image',
  run: (ctx) =>
    each(ctx, (m, at) => {
      if (!m.axes) return [];
      const n = m.axes.length;
      const out: Finding[] = [];
      const test = (values: number[] | undefined, what: string, where: string) => {
        if (values && values.length !== n) {
          out.push(warning('scale-length-mismatch', `${what} has ${values.length} entries but there are ${n} axes`, where));
        }
      };
      for (const d of m.datasets) {
        test(d.scale, `scale of dataset "${d.path ?? d.index}"`, at('datasets', d.index, 'coordinateTransformations'));
        test(d.translation, `translation of dataset "${d.path ?? d.index}"`, at('datasets', d.index, 'coordinateTransformations'));
      }
      test(m.scale, 'multiscale scale', at('coordinateTransformations'));
      test(m.translation, 'multiscale translation', at('coordinateTransformations'));
      return out;
    }),
};

/** Dataset paths are unique, relative and stay inside the group. */
export const datasetPaths: AttributeCheck = {
  name: 'dataset-path',
  kind: 'image',
  run: (ctx) =>
    each(ctx, (m, at) => {
      const out: Finding[] = [];
      const seen = new Set<string>();
      for (const d of m.datasets) {
        if (d.path === undefined) continue;
        if (seen.has(d.path)) out.push(error('dataset-path-duplicate', `dataset path "${d.path}" is listed twice`, at('datasets', d.index, 'path')));
        seen.add(d.path);
        const parts = d.path.split('/');
        if (d.path === '' || d.path.startsWith('/') || parts.some((p) => p === '..' || p === '.' || p === '') || d.path.includes('\\')) {
          out.push(error('dataset-path-invalid', `dataset path "${d.path}" must be a relative path inside the image group`, at('datasets', d.index, 'path')));
        }
      }
      return out;
    }),
};

/** Levels go from highest resolution to lowest: no scale factor shrinks from one level to the next. */
export const levelOrder: AttributeCheck = {
  name: 'levels-not-ordered',
  kind: 'image',
  run: (ctx) =>
    each(ctx, (m, at) => {
      const out: Finding[] = [];
      for (let i = 1; i < m.datasets.length; i++) {
        const prev = m.datasets[i - 1].scale;
        const cur = m.datasets[i].scale;
        if (!prev || !cur || prev.length !== cur.length) continue;
        const axis = cur.findIndex((s, j) => Math.abs(s) < Math.abs(prev[j]) * (1 - 1e-9));
        if (axis >= 0) {
          const name = m.axes?.[axis]?.name ?? String(axis);
          out.push(error('levels-not-ordered', `dataset ${i} has a finer scale than dataset ${i - 1} on axis "${name}" (${cur[axis]} < ${prev[axis]}); levels must go from highest to lowest resolution`, at('datasets', i)));
        }
      }
      return out;
    }),
};

/** Scale factors are positive: zero collapses an axis, negative flips it (say so with an explicit transformation instead). */
export const scalePositive: AttributeCheck = {
  name: 'scale-not-positive',
  kind: 'image',
  run: (ctx) =>
    each(ctx, (m, at) =>
      m.datasets
        .filter((d) => d.scale?.some((s) => s <= 0))
        .map((d) => warning('scale-not-positive', `scale of dataset "${d.path ?? d.index}" has a zero or negative factor: ${JSON.stringify(d.scale)}`, at('datasets', d.index))),
    ),
};

/** 0.6: each dataset's transformation starts at that dataset and ends in a coordinate system this multiscale defines. */
export const coordinateSystemRefs: AttributeCheck = {
  name: 'coordinate-system-missing',
  kind: 'image',
  run: (ctx) =>
    ctx.version !== '0.6'
      ? []
      : each(ctx, (m, at) => {
          const out: Finding[] = [];
          const names = new Set(m.coordinateSystems ?? []);
          const outputs = new Set<string>();
          for (const d of m.datasets) {
            const where = at('datasets', d.index, 'coordinateTransformations', 0);
            if (d.output !== undefined) {
              outputs.add(d.output);
              if (!names.has(d.output)) out.push(error('coordinate-system-missing', `dataset "${d.path ?? d.index}" maps to coordinate system "${d.output}", which this multiscale does not define`, where));
            }
            if (d.input !== undefined && d.path !== undefined && d.input !== d.path) {
              // A note only: upstream's strict *valid* 0.6rc0 example has this slip (path "1", input "s1").
              out.push(info('transform-input-mismatch', `the transformation of dataset "${d.path}" starts at "${d.input}"; it should start at the dataset itself`, where));
            }
          }
          if (outputs.size > 1) {
            out.push(error('coordinate-system-inconsistent', `datasets map to different coordinate systems (${[...outputs].join(', ')}); all levels must share one`, at('datasets')));
          }
          return out;
        }),
};

export const multiscalesChecks: AttributeCheck[] = [scaleLength, datasetPaths, levelOrder, scalePositive, coordinateSystemRefs];
