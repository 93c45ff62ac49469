import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FairioError } from '../errors.js';
import { levelTransform, parseGroupAttributes } from './parse.js';

const axisName = fc.constantFrom('t', 'c', 'z', 'y', 'x');
const positive = fc.double({ min: 1e-6, max: 1e6, noNaN: true });

/** Well-formed NGFF 0.5 image attributes with 2..5 distinct axes and 1..4 levels. */
const imageAttributes = fc
  .uniqueArray(axisName, { minLength: 2, maxLength: 5 })
  .chain((axes) =>
    fc.record({
      axes: fc.constant(axes),
      scales: fc.array(fc.array(positive, { minLength: axes.length, maxLength: axes.length }), { minLength: 1, maxLength: 4 }),
      translation: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: axes.length, maxLength: axes.length }),
    }),
  )
  .map(({ axes, scales, translation }) => ({
    ome: {
      version: '0.5',
      multiscales: [
        {
          axes: axes.map((name) => ({ name, type: name === 'c' ? 'channel' : name === 't' ? 'time' : 'space' })),
          datasets: scales.map((scale, i) => ({
            path: String(i),
            coordinateTransformations: [
              { type: 'scale', scale },
              { type: 'translation', translation },
            ],
          })),
        },
      ],
    },
  }));

describe('parseGroupAttributes', () => {
  it('never throws anything but a FairioError, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(2 as const, 3 as const), (doc, format) => {
        try {
          parseGroupAttributes(doc, format, 'test');
        } catch (error) {
          expect(error).toBeInstanceOf(FairioError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a FairioError on mutated multiscales', () => {
    const mutated = imageAttributes.chain((doc) =>
      fc.record({ doc: fc.constant(doc), key: fc.constantFrom('axes', 'datasets', 'name', 'coordinateTransformations', 'version'), value: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(mutated, ({ doc, key, value }) => {
        const copy = structuredClone(doc) as { ome: { multiscales: Record<string, unknown>[] } };
        copy.ome.multiscales[0][key] = value;
        try {
          parseGroupAttributes(copy, 3, 'test');
        } catch (error) {
          expect(error).toBeInstanceOf(FairioError);
          expect((error as FairioError).code).toBe('INVALID_METADATA');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back the axes, levels and per-level transforms of any well-formed image', () => {
    fc.assert(
      fc.property(imageAttributes, (doc) => {
        const meta = parseGroupAttributes(doc, 3, 'test')!;
        const source = doc.ome.multiscales[0];
        const multiscale = meta.multiscales![0];
        expect(meta.version).toBe('0.5');
        expect(multiscale.axes.map((a) => a.name)).toEqual(source.axes.map((a) => a.name));
        expect(multiscale.datasets.map((d) => d.path)).toEqual(source.datasets.map((d) => d.path));
        source.datasets.forEach((d, level) => {
          const { scale, translation } = levelTransform(multiscale, level);
          expect(scale).toEqual(d.coordinateTransformations[0].scale);
          // +0 folds -0 into 0: the sum that composes transforms does the same.
          expect(translation).toEqual(d.coordinateTransformations[1].translation.map((t) => t + 0));
        });
      }),
    );
  });

  it('reads NGFF 0.4 attributes from the top level of .zattrs', () => {
    const meta = parseGroupAttributes(
      { multiscales: [{ version: '0.4', axes: [{ name: 'y', type: 'space', unit: 'micrometer' }, { name: 'x', type: 'space' }], datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [0.5, 0.5] }] }] }] },
      2,
      'test',
    )!;
    expect(meta.version).toBe('0.4');
    expect(meta.multiscales![0].axes[0]).toEqual({ name: 'y', type: 'space', unit: 'micrometer' });
  });

  it('refuses NGFF 0.5 metadata in a Zarr v2 group', () => {
    expect(() => parseGroupAttributes({ ome: { version: '0.5', multiscales: [] } }, 2, 'g')).toThrow(/needs Zarr v3/);
  });

  it('flattens 0.6rc0 coordinate systems and transform sequences', () => {
    const meta = parseGroupAttributes(
      {
        ome: {
          version: '0.6rc0',
          multiscales: [
            {
              coordinateSystems: [{ name: 'physical', axes: [{ name: 'y', type: 'space' }, { name: 'x', type: 'space' }] }],
              datasets: [
                {
                  path: 'array',
                  coordinateTransformations: [
                    { type: 'sequence', transformations: [{ type: 'scale', scale: [4, 3] }, { type: 'translation', translation: [30, 20] }] },
                  ],
                },
              ],
            },
          ],
        },
      },
      3,
      'test',
    )!;
    expect(meta.version).toBe('0.6');
    expect(levelTransform(meta.multiscales![0], 0)).toEqual({ scale: [4, 3], translation: [30, 20] });
  });

  it('returns undefined for a plain Zarr group', () => {
    expect(parseGroupAttributes({ foo: 1 }, 2, 'g')).toBeUndefined();
    expect(parseGroupAttributes({}, 3, 'g')).toBeUndefined();
  });
});
