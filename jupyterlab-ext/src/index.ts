/**
 * jupyterlab-fairio: fairio's JupyterLab 4 plugins.
 *
 * - `jupyterlab-fairio:browser`: the NGFF browser in the left sidebar (open an
 *   OME-Zarr by server path, URL or from the file browser; its hierarchy and
 *   metadata) and the viewer tabs it opens.
 * - `jupyterlab-fairio:recorder`: the reproducibility recorder (notebook
 *   sessions recorded while they run, exported as Workflow Run / Provenance
 *   Run Crates linked to the crates of the fairio runs they made).
 *
 * Each plugin lives in its own module; this file only lists them.
 *
 * @module
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { browserPlugin } from './browser/plugin.js';
import { recorderPlugin } from './recorder/plugin.js';

const plugins: JupyterFrontEndPlugin<unknown>[] = [browserPlugin, recorderPlugin];

export default plugins;
