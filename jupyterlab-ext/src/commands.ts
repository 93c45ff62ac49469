/** Command ids of the NGFF browser (palette, context menu, keyboard, tests). */
export const CommandIDs = {
  /** Show the sidebar. */
  showBrowser: 'fairio:ngff-show-browser',
  /** Open an OME-Zarr: args `{ location }` (server path or URL) or the file browser's selection. */
  open: 'fairio:ngff-open',
  /** Ask for a path or URL, then open it. */
  openLocation: 'fairio:ngff-open-location',
  /** Open a viewer tab: args `{ location, path }`. */
  openViewer: 'fairio:ngff-open-viewer',
  /** Open the plate grid: args `{ location, path }`. */
  openPlate: 'fairio:ngff-open-plate',
  /** Viewer: fit the image to the window. */
  resetView: 'fairio:ngff-reset-view',
  /** Viewer: contrast from the visible pixels, per channel. */
  autoContrast: 'fairio:ngff-auto-contrast',
  /** Viewer: args `{ centerX, centerY, zoom, z, t }` (level-0 pixels; screen pixels per level-0 pixel). */
  setView: 'fairio:ngff-set-view',
} as const;
