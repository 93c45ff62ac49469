/** This extension's name and version (kept equal to package.json's by analysis/version.test.ts). */
export const EXTENSION = { name: 'jupyterlab-fairio', version: '0.1.0' } as const;
