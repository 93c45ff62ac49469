/**
 * Checks on `image-label` metadata beyond its schema.
 */
import { isObject } from '../detect.js';
import { warning, type Finding } from '../report.js';
import { pointer, type AttributeCheck } from './context.js';
import { arrayOf } from './model.js';

/** One colour and one property record per label value; a second one is ambiguous. */
export const labelValuesUnique: AttributeCheck = {
  name: 'label-value-duplicate',
  kind: 'label',
  run: (ctx) => {
    const label = ctx.ns['image-label'];
    if (!isObject(label)) return [];
    return (['colors', 'properties'] as const).flatMap((key) => {
      const seen = new Set<unknown>();
      return arrayOf(label[key]).flatMap((entry, i): Finding[] => {
        if (!isObject(entry) || !('label-value' in entry)) return [];
        const value = entry['label-value'];
        const dup = seen.has(value);
        seen.add(value);
        return dup ? [warning('label-value-duplicate', `label value ${JSON.stringify(value)} appears twice in ${key}`, pointer(ctx, 'image-label', key, i))] : [];
      });
    });
  },
};

export const labelChecks: AttributeCheck[] = [labelValuesUnique];
