import { describe, expect, it } from 'vitest';
import { colorLabels, compositeChannels, labelColor, parseColor, percentiles, toHex } from './render.js';

describe('render', () => {
  it('maps each channel window to its colour and adds channels', () => {
    const out = new Uint8ClampedArray(3 * 4);
    const red = Uint16Array.from([0, 100, 200]);
    const green = Uint16Array.from([50, 50, 1000]);
    compositeChannels(
      [red, green],
      [
        { label: 'a', visible: true, color: [255, 0, 0], min: 0, max: 200 },
        { label: 'b', visible: true, color: [0, 255, 0], min: 0, max: 100 },
      ],
      3,
      1,
      out,
    );
    expect(Array.from(out)).toEqual([0, 128, 0, 255, 128, 128, 0, 255, 255, 255, 0, 255]);
  });

  it('skips hidden channels', () => {
    const out = new Uint8ClampedArray(4);
    compositeChannels([Uint8Array.from([255])], [{ label: 'a', visible: false, color: [255, 255, 255], min: 0, max: 255 }], 1, 1, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 255]);
  });

  it('colours labels, label 0 transparent, metadata colours first', () => {
    const out = new Uint8ClampedArray(3 * 4);
    colorLabels(Uint32Array.from([0, 7, 9]), 3, 1, out, new Map([[9, [1, 2, 3]]]));
    expect(out[3]).toBe(0);
    expect(Array.from(out.slice(4, 8))).toEqual([...labelColor(7), 255]);
    expect(Array.from(out.slice(8, 12))).toEqual([1, 2, 3, 255]);
    expect(labelColor(1)).not.toEqual(labelColor(2));
  });

  it('takes percentiles as numpy does (linear interpolation)', () => {
    const values = Float32Array.from({ length: 101 }, (_, i) => i);
    expect(percentiles([values], [0, 50, 99.9, 100])).toEqual([0, 50, 99.9, 100].map((p) => +(p).toFixed(10)));
    expect(percentiles([Uint8Array.from([1, 2]), Uint8Array.from([3, 4])], [50])).toEqual([2.5]);
  });

  it('reads and writes OMERO colours', () => {
    expect(parseColor('00FF00')).toEqual([0, 255, 0]);
    expect(parseColor('#0000ff')).toEqual([0, 0, 255]);
    expect(parseColor('nonsense')).toEqual([255, 255, 255]);
    expect(toHex([255, 0, 16])).toBe('#ff0010');
  });
});
