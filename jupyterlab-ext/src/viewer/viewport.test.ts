import { describe, expect, it } from 'vitest';
import { chooseLevel, fitViewport, formatLength, niceLength, screenToImage, tileRect, visibleTiles, zoomAt, type LevelGeometry } from './viewport.js';

// A 16384² image with 512² chunks and a 2× pyramid down to 512².
const levels: LevelGeometry[] = Array.from({ length: 6 }, (_, i) => ({
  index: i,
  height: 16384 / 2 ** i,
  width: 16384 / 2 ** i,
  chunkHeight: 512,
  chunkWidth: 512,
  factorY: 2 ** i,
  factorX: 2 ** i,
}));

describe('viewport', () => {
  it('fits the image and chooses the level whose pixels match the screen', () => {
    const view = fitViewport(16384, 16384, 1000, 800);
    expect(view.zoom).toBeCloseTo((800 / 16384) * 0.95);
    // 1 screen pixel ≈ 21 level-0 pixels: level 4 (16×), not 5 (32×, would upsample).
    expect(chooseLevel(levels, view.zoom).index).toBe(4);
    expect(chooseLevel(levels, view.zoom, 2).index).toBe(3);
    expect(chooseLevel(levels, 1).index).toBe(0);
    expect(chooseLevel(levels, 8).index).toBe(0);
    expect(chooseLevel(levels, 0.5).index).toBe(1);
  });

  it('lists only the chunks in view, nearest to the centre first', () => {
    const view = fitViewport(16384, 16384, 1000, 800);
    const level = chooseLevel(levels, view.zoom);
    // Level 4 is 1024² in 512² chunks: all 4 are in view, and nothing else is asked for.
    expect(visibleTiles(level, view)).toHaveLength(4);
    const zoomed = { centerX: 300, centerY: 300, zoom: 1, width: 1000, height: 800 };
    const tiles = visibleTiles(levels[0], zoomed);
    expect(tiles.map((t) => [t.cy, t.cx])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
  });

  it('places tiles and keeps the point under the cursor while zooming', () => {
    const view = { centerX: 500, centerY: 400, zoom: 1, width: 1000, height: 800 };
    expect(tileRect(levels[1], { level: 1, cy: 0, cx: 1 }, 512, 512, view)).toEqual({ x: 1024, y: 0, w: 1024, h: 1024 });
    const before = screenToImage(view, 200, 300);
    const after = zoomAt(view, 2, 200, 300, { min: 0.01, max: 64 });
    expect(screenToImage(after, 200, 300)).toEqual(before);
    expect(after.zoom).toBe(2);
  });

  it('writes scale bars in round physical lengths', () => {
    expect(niceLength(37)).toBe(20);
    expect(niceLength(0.7)).toBe(0.5);
    expect(niceLength(120)).toBe(100);
    expect(formatLength(20, 'micrometer')).toBe('20 µm');
    expect(formatLength(0.5, 'millimeter')).toBe('0.5 mm');
    expect(formatLength(5, undefined)).toBe('5 px');
  });
});
