/** The chunk worker's bundled source (lib/worker-source.js, written by scripts/build-worker.mjs). */
declare const source: string;
export default source;
