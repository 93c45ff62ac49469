/**
 * @fairio/galaxy-tools: fairio's Galaxy tool suite, generated from the same
 * node descriptions as the command line, and the job-side translation of
 * Galaxy's inputs into that command line.
 *
 * ```ts
 * import { galaxyTools, toolXml, writeSuite, planJob } from '@fairio/galaxy-tools';
 * writeSuite('galaxy-tools/tools');                    // every tool XML, macros.xml, tool_conf.xml, .shed.yml
 * const threshold = galaxyTools.find((t) => t.description.id === 'threshold')!;
 * console.log(toolXml(threshold));                      // <tool id="fairio_threshold" …>
 * const plan = planJob(threshold, JSON.parse(inputsJson), { workDir, outputs: { mask: '/galaxy/dataset_1.dat' }, outputDirs: { mask: '/galaxy/dataset_1_files' } });
 * // plan.argv: ['threshold', '--method=otsu', '--quiet', '--', 'inputs/image/cells.ome.zarr', 'outputs/mask.ome.zarr']
 * ```
 *
 * @module
 */
export * from './tool-spec.js';
export { galaxyTools, findTool } from './catalogue.js';
export { convertDescription, infoDescription, validateDescription, crateValidateDescription } from './commands.js';
export { GALAXY_FORMATS, acceptedDatatypes, stagingExtension, outputExtension, type GalaxyFormat } from './datatypes.js';
export { fairParameters, FAIR_SECTION } from './fair-options.js';
export { toolXml, toolCommand, formParameters, inputSource, inputDatatypes, outputDatatype, DIRECTORY_DATATYPES, type InputSource } from './tool-xml.js';
export { macrosXml, PROFILE, VERSION_SUFFIX } from './macros.js';
export { toolConfXml, shedYml, toolFile, SECTION_ID, SECTION_NAME } from './suite.js';
export { suiteFiles, writeSuite, TOOLS_DIR } from './generate.js';
export { planJob, stage, moveInto, omeZarrStore, safeFileName, type JobPlan, type JobOutput, type JobOptions, type GalaxyDataset, type StagingStep } from './job.js';
export { helpBody, toolHelp, escapeRst } from './help.js';
export { galaxyName, kebab, flag } from './names.js';
