/** The pixel-classifier worker's bundled source (lib/classifier-worker-source.js, written by scripts/build-worker.mjs). */
declare const source: string;
export default source;
