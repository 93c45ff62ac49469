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
  /** Viewer: run the Analyse section's tool on the region in view; args `{ kind, path, channels }` (optional). */
  analyseVisible: 'fairio:analyse-visible',
  /** Viewer: the same on the whole z/t plane. */
  analyseImage: 'fairio:analyse-image',
  /** File browser: apply the selected `.fairio-rf` (or args `{ path }`) in the current viewer, on the region in view. */
  applyClassifier: 'fairio:analyse-with-classifier',
  /** Viewer: stop the running analysis. */
  cancelAnalysis: 'fairio:analyse-cancel',
  /** Viewer: show or hide the analysis result over the image. */
  toggleOverlay: 'fairio:analyse-toggle-overlay',
} as const;
