/**
 * `@fairio/model-runner/browser`: the parts of fairio's analysis that run in
 * a browser page or web worker (no Node built-ins; bundle-tested).
 *
 * @module
 */
export * from './pixel-classifier/browser.js';
