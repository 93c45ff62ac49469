/**
 * Semantic checks on axes: unique names, the type order of 0.4/0.5, and the
 * recommendations (typed axes, units from the spec's UDUNITS-2 list) that
 * only count as failures under `strict`.
 */
import { error, info, warning, type Finding } from '../report.js';
import { type AttributeCheck, type AttributeContext } from './context.js';
import { looseMultiscales, type LooseAxis, type LooseMultiscale } from './model.js';

/** The units the specification lists (UDUNITS-2 names). */
export const SPACE_UNITS = new Set([
  'angstrom', 'attometer', 'centimeter', 'decimeter', 'exameter', 'femtometer', 'foot', 'gigameter', 'hectometer',
  'inch', 'kilometer', 'megameter', 'meter', 'micrometer', 'mile', 'millimeter', 'nanometer', 'parsec', 'petameter',
  'picometer', 'terameter', 'yard', 'yoctometer', 'yottameter', 'zeptometer', 'zettameter',
]);
export const TIME_UNITS = new Set([
  'attosecond', 'centisecond', 'day', 'decisecond', 'exasecond', 'femtosecond', 'gigasecond', 'hectosecond', 'hour',
  'kilosecond', 'megasecond', 'microsecond', 'millisecond', 'minute', 'nanosecond', 'petasecond', 'picosecond',
  'second', 'terasecond', 'yoctosecond', 'yottasecond', 'zeptosecond', 'zettasecond',
]);

const KNOWN_TYPES = {
  '0.4': ['space', 'time', 'channel'],
  '0.5': ['space', 'time', 'channel'],
  '0.6': ['array', 'space', 'time', 'channel', 'displacement', 'coordinate', 'frequency'],
} as const;

function eachAxes(ctx: AttributeContext, check: (axes: LooseAxis[], at: (i?: number) => string, m: LooseMultiscale) => Finding[]): Finding[] {
  return looseMultiscales(ctx.ns, ctx.version).flatMap((m) =>
    m.axes ? check(m.axes, (i) => `${ctx.nodePath}#${m.axesPointer}${i === undefined ? '' : `/${i}`}`, m) : [],
  );
}

/** Axis names are unique (the schema only rejects fully identical entries). */
export const axisNamesUnique: AttributeCheck = {
  name: 'axis-name-duplicate',
  kind: 'image',
  run: (ctx) =>
    eachAxes(ctx, (axes, at) => {
      const seen = new Set<string>();
      return axes.flatMap((a, i) => {
        if (a.name === undefined) return [];
        const dup = seen.has(a.name);
        seen.add(a.name);
        return dup ? [error('axis-name-duplicate', `axis name "${a.name}" is used twice`, at(i))] : [];
      });
    }),
};

/** 0.4/0.5: at most one time axis, at most one channel-or-custom axis, ordered time, channel/custom, space. */
export const axisOrder: AttributeCheck = {
  name: 'axes-order',
  kind: 'image',
  run: (ctx) =>
    ctx.version === '0.6'
      ? []
      : eachAxes(ctx, (axes, at) => {
          const rank = (a: LooseAxis) => (a.type === 'time' ? 0 : a.type === 'space' ? 2 : 1);
          const out: Finding[] = [];
          const time = axes.filter((a) => a.type === 'time').length;
          const other = axes.filter((a) => rank(a) === 1).length;
          if (time > 1) out.push(error('axes-type-count', `${time} time axes; at most one is allowed`, at()));
          if (other > 1) out.push(error('axes-type-count', `${other} channel or custom axes; at most one is allowed`, at()));
          for (let i = 1; i < axes.length; i++) {
            if (rank(axes[i]) < rank(axes[i - 1])) {
              out.push(error('axes-order', `axis "${axes[i].name}" (${axes[i].type ?? 'untyped'}) comes after "${axes[i - 1].name}" (${axes[i - 1].type ?? 'untyped'}); the order must be time, then channel or custom, then space`, at(i)));
              break;
            }
          }
          return out;
        }),
};

/** Recommendations: every axis typed with a type the spec knows, space and time axes with a listed unit. */
export const axisRecommendations: AttributeCheck = {
  name: 'axis-type-unknown',
  kind: 'image',
  run: (ctx) =>
    eachAxes(ctx, (axes, at) =>
      axes.flatMap((a, i): Finding[] => {
        const name = a.name ?? String(i);
        const out: Finding[] = [];
        if (a.type === undefined) out.push(warning('axis-type-missing', `axis "${name}" has no type`, at(i)));
        else if (!(KNOWN_TYPES[ctx.version] as readonly string[]).includes(a.type)) {
          out.push(warning('axis-type-unknown', `axis "${name}" has custom type "${a.type}"; readers may not know how to display it`, at(i)));
        }
        const units = a.type === 'space' ? SPACE_UNITS : a.type === 'time' ? TIME_UNITS : undefined;
        if (units && a.unit === undefined) {
          // Space units matter for every measurement; a missing time unit is common and harmless.
          out.push(a.type === 'space' ? warning('axis-unit-missing', `space axis "${name}" has no unit; sizes cannot be measured`, at(i)) : info('time-unit-missing', `time axis "${name}" has no unit`, at(i)));
        } else if (units && a.unit !== undefined && !units.has(a.unit)) {
          out.push(warning('axis-unit-unknown', `unit "${a.unit}" of ${a.type} axis "${name}" is not one of the spec's UDUNITS-2 names (e.g. ${a.type === 'space' ? 'micrometer' : 'second'})`, at(i)));
        }
        return out;
      }),
    ),
};

export const axesChecks: AttributeCheck[] = [axisNamesUnique, axisOrder, axisRecommendations];
