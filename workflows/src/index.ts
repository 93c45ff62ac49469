/**
 * @fairio/workflows: Galaxy workflows of fairio nodes, on a laptop or in Galaxy.
 *
 * ```ts
 * import { readWorkflow, lintWorkflow, runWorkflow, writeWorkflowText } from '@fairio/workflows';
 * const workflow = readWorkflow('nuclei-segmentation.gxwf.yml');       // or a .ga
 * lintWorkflow(workflow).findings;                                     // [{ severity, code, step, message }]
 * const run = await runWorkflow(workflow, { inputs: { image: 'cells.tif', model: 'nuclei.zip' }, outdir: 'out' });
 * run.outputs.measurements;                                            // { kind: 'dataset', path: 'out/measure/table.csv' }
 * writeWorkflowText(workflow, 'ga');                                   // the same workflow as Galaxy's .ga
 * ```
 *
 * A second `runWorkflow` into the same folder reruns only the jobs whose
 * tool, input contents or parameters changed; each run adds a Workflow Run /
 * Provenance Run Crate to `out/ro-crate-metadata.json`.
 *
 * @module
 */
export * from './model.js';
export { formatOf, parseWorkflow, readWorkflow, writeWorkflowText, workflowStem, EXTENSIONS, parseGxformat2, writeGxformat2, parseNative, writeNative, type WorkflowFormat } from './formats/index.js';
export { dependencies, dependants, downstream, topologicalOrder, autoLayout } from './graph.js';
export { lintWorkflow, assertRunnable, WorkflowLintError, CHECKS, type LintReport, type LintOptions, type Finding, type Severity, type WorkflowCheck } from './lint/index.js';
export { toolRegistry, defaultTools, shortToolId, formatsOfDatatype, acceptedDatatypes, outputDatatypeOf, outputExtension, galaxyInputKey, resolveKey, GALAXY_TOOL_VERSION, TOOL_PREFIX, type ToolRegistry, type ResolvedKey } from './tools.js';
export { runWorkflow, affectedBy, type RunWorkflowOptions, type WorkflowRunResult, type StepResult, type JobResult, type RunEvent, type StepStatus } from './runner/run.js';
export { bindInputs, parseInputArguments, jobInputs, readJobFile, identifierOf, type Value, type DatasetValue, type ListValue, type ListElement, type InputGiven } from './runner/values.js';
export { STATE_DIR } from './runner/cache.js';
export { workflowDefinition, agentsOf } from './definition.js';
export { writeIwcDirectory, changelogRelease, type IwcOptions, type IwcDirectory } from './export/iwc.js';
export { exportWorkflowCrate, type CrateExportOptions } from './export/crate.js';
export { runWorkflowTests, readTests, testsFileFor, checkAssertions, type WorkflowTestCase, type WorkflowTestResult, type OutputExpectation } from './testing.js';
export { EXAMPLES, EXAMPLES_DIR, exampleDir, exampleWorkflow, writeExampleTestData, type ExampleName } from './examples.js';
