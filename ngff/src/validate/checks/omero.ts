/**
 * Checks on the transitional `omero` rendering metadata: absent is fine
 * (noted), present should be usable by viewers.
 */
import { isObject } from '../detect.js';
import { info, warning, type Finding } from '../report.js';
import { pointer, type AttributeCheck } from './context.js';
import { arrayOf } from './model.js';

export const omeroRendering: AttributeCheck = {
  name: 'omero',
  kind: 'image',
  run: (ctx) => {
    const omero = ctx.ns.omero;
    // Upstream's strict image examples have no omero, so its absence is only a note.
    if (omero === undefined) return [info('omero-missing', 'no "omero" rendering settings; viewers will pick channel colours and contrast themselves', pointer(ctx))];
    if (!isObject(omero)) return [];
    return arrayOf(omero.channels).flatMap((c, i): Finding[] => {
      if (!isObject(c)) return [];
      const out: Finding[] = [];
      if (typeof c.color === 'string' && !/^[0-9A-Fa-f]{6}$/.test(c.color)) {
        out.push(warning('omero-color-invalid', `channel ${i} colour "${c.color}" is not six hex digits (RRGGBB)`, pointer(ctx, 'omero', 'channels', i, 'color')));
      }
      const w = c.window;
      if (isObject(w) && [w.min, w.max, w.start, w.end].every((v) => typeof v === 'number')) {
        const [min, max, start, end] = [w.min, w.max, w.start, w.end] as number[];
        if (min > max || start > end) {
          out.push(warning('omero-window-invalid', `channel ${i} window has min > max or start > end`, pointer(ctx, 'omero', 'channels', i, 'window')));
        }
      }
      return out;
    });
  },
};

export const omeroChecks: AttributeCheck[] = [omeroRendering];
