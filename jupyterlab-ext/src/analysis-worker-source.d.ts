/** The model worker's bundled source (lib/analysis-worker-source.js, written by scripts/build-worker.mjs). */
declare const source: string;
export default source;
