/**
 * Viewport geometry (pure): where the view is in level-0 pixels, which
 * pyramid level fits the zoom, and which chunks of that level are visible.
 * Loading only those chunks is what keeps a 16384² image as quick to open as
 * a small one.
 */

/** One pyramid level as the viewer sees it: its y/x size, chunk size and pixel size in level-0 pixels. */
export interface LevelGeometry {
  index: number;
  height: number;
  width: number;
  chunkHeight: number;
  chunkWidth: number;
  /** Size of one pixel of this level in level-0 pixels along y and x (1 for level 0, 2, 4, … below). */
  factorY: number;
  factorX: number;
}

export interface Viewport {
  /** Level-0 pixel at the centre of the view. */
  centerX: number;
  centerY: number;
  /** Screen (CSS) pixels per level-0 pixel. */
  zoom: number;
  /** View size in CSS pixels. */
  width: number;
  height: number;
}

export interface Tile {
  level: number;
  /** Chunk grid position along y and x. */
  cy: number;
  cx: number;
}

/** The whole image in view, centred. */
export function fitViewport(width0: number, height0: number, viewWidth: number, viewHeight: number): Viewport {
  const zoom = Math.min(viewWidth / width0, viewHeight / height0) * 0.95;
  return { centerX: width0 / 2, centerY: height0 / 2, zoom: zoom > 0 && Number.isFinite(zoom) ? zoom : 1, width: viewWidth, height: viewHeight };
}

/**
 * The level to show at this zoom: the coarsest whose pixels are still no larger
 * than a screen pixel (times the device pixel ratio), so nothing is upsampled
 * that a finer level could show; the finest level when zoomed in further.
 */
export function chooseLevel(levels: LevelGeometry[], zoom: number, devicePixelRatio = 1): LevelGeometry {
  const wanted = 1 / (zoom * devicePixelRatio);
  let best = levels[0];
  for (const level of levels) {
    if (level.factorX <= wanted * 1.001 && level.factorX > best.factorX) best = level;
  }
  return best;
}

/** Visible region in level-0 pixels. */
export function visibleRegion(view: Viewport): { x0: number; y0: number; x1: number; y1: number } {
  const halfW = view.width / 2 / view.zoom;
  const halfH = view.height / 2 / view.zoom;
  return { x0: view.centerX - halfW, y0: view.centerY - halfH, x1: view.centerX + halfW, y1: view.centerY + halfH };
}

/** Chunks of `level` that intersect the view, nearest to the centre first (they load first). */
export function visibleTiles(level: LevelGeometry, view: Viewport): Tile[] {
  const r = visibleRegion(view);
  const cw = level.chunkWidth * level.factorX;
  const ch = level.chunkHeight * level.factorY;
  const nx = Math.ceil(level.width / level.chunkWidth);
  const ny = Math.ceil(level.height / level.chunkHeight);
  const x0 = Math.max(0, Math.floor(r.x0 / cw));
  const x1 = Math.min(nx - 1, Math.floor((r.x1 - 1e-9) / cw));
  const y0 = Math.max(0, Math.floor(r.y0 / ch));
  const y1 = Math.min(ny - 1, Math.floor((r.y1 - 1e-9) / ch));
  const tiles: Tile[] = [];
  for (let cy = y0; cy <= y1; cy++) for (let cx = x0; cx <= x1; cx++) tiles.push({ level: level.index, cy, cx });
  const distance = (t: Tile) => Math.hypot((t.cx + 0.5) * cw - view.centerX, (t.cy + 0.5) * ch - view.centerY);
  return tiles.sort((a, b) => distance(a) - distance(b));
}

/** Where a tile lands on screen (CSS pixels), for drawImage. */
export function tileRect(level: LevelGeometry, tile: Tile, tileWidth: number, tileHeight: number, view: Viewport): { x: number; y: number; w: number; h: number } {
  const x = (tile.cx * level.chunkWidth * level.factorX - view.centerX) * view.zoom + view.width / 2;
  const y = (tile.cy * level.chunkHeight * level.factorY - view.centerY) * view.zoom + view.height / 2;
  return { x, y, w: tileWidth * level.factorX * view.zoom, h: tileHeight * level.factorY * view.zoom };
}

/** Level-0 pixel under a screen point. */
export function screenToImage(view: Viewport, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.width / 2) / view.zoom + view.centerX, y: (sy - view.height / 2) / view.zoom + view.centerY };
}

/** Zoom by `factor` keeping the level-0 point under (sx, sy) in place. */
export function zoomAt(view: Viewport, factor: number, sx: number, sy: number, limits: { min: number; max: number }): Viewport {
  const zoom = Math.min(limits.max, Math.max(limits.min, view.zoom * factor));
  const p = screenToImage(view, sx, sy);
  return { ...view, zoom, centerX: p.x - (sx - view.width / 2) / zoom, centerY: p.y - (sy - view.height / 2) / zoom };
}

/** A round length (1, 2 or 5 × 10^n) near `target`, for the scale bar. */
export function niceLength(target: number): number {
  if (!(target > 0) || !Number.isFinite(target)) return 0;
  const power = 10 ** Math.floor(Math.log10(target));
  const m = target / power;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * power;
}

const UNIT_SYMBOLS: Record<string, string> = {
  angstrom: 'Å', nanometer: 'nm', micrometer: 'µm', millimeter: 'mm', centimeter: 'cm', meter: 'm', kilometer: 'km',
  picometer: 'pm', femtometer: 'fm', inch: 'in', foot: 'ft', yard: 'yd', mile: 'mi', parsec: 'pc',
};

/** "10 µm" for a scale bar; unknown units are written out. */
export function formatLength(value: number, unit: string | undefined): string {
  const v = Number(value.toPrecision(3));
  return unit ? `${v} ${UNIT_SYMBOLS[unit] ?? unit}` : `${v} px`;
}
