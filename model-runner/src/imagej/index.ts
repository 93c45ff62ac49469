/**
 * The ImageJ/Fiji macro executor: a user's `.ijm` on TIFF, OME-TIFF or
 * OME-Zarr images, run by a real ImageJ under a virtual display, with what
 * the macro saves made FAIR (OME-Zarr, CSV) and ImageJ's own version
 * recorded.
 *
 * ```ts
 * import { runMacro } from './imagej/index.js';
 * const { images, imagej } = await runMacro({
 *   macro: 'count.ijm', images: ['cells.ome.zarr'], output: 'counted', args: ['sigma=2'],
 * });
 * console.log(imagej.version, images[0].tables); // '1.53t', ['counted/cells/results.csv']
 * ```
 *
 * Modules: `locate` (which ImageJ, java, xvfb-run), `arguments` (`key=value` arguments,
 * getArgument(), #@ script parameters), `inputs` (OME-Zarr / OME-TIFF →
 * ImageJ TIFF with calibration), `wrapper` (the wrapper macro and job file),
 * `watchdog` (the Java class that turns a modal error dialog into an error
 * message), `process` (spawning, time limit, process-group kill), `outputs`
 * (TIFF → OME-Zarr, tables, logs), `run-macro` (the whole run), `node` (the
 * `imagej-macro` analysis node).
 *
 * @module
 */
export { imagejMacroNode } from './node.js';
export { imagejMacroDescription } from './description.js';
export { runMacro, type MacroRunOptions, type MacroRunResult, type MacroImageResult } from './run-macro.js';
export { locateImageJ, findXvfbRun, DEBIAN_IJ_JAR, type ImageJInstall } from './locate.js';
export { parseMacroArguments, macroArgument, fillScriptParameters, type MacroParameter } from './arguments.js';
export { writeImageJTiff, imagejDescription, parseRegion } from './inputs.js';
