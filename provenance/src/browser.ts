/**
 * @fairio/provenance/browser: the half of @fairio/provenance that runs in a
 * web page (no Node built-ins, no file system): the typed crate builder and
 * vocabulary, process / workflow / provenance runs as graph operations, a
 * synchronous SHA-256, and notebook sessions: the record the JupyterLab
 * recorder keeps and the crate it exports.
 *
 * ```ts
 * import { digestOutputs, newSessionRecord, sessionCrate } from '@fairio/provenance/browser';
 * const record = newSessionRecord({ id, notebook: 'work/analysis.ipynb', startTime: new Date(), environment });
 * record.executions.push({ ...execution, outputs: digestOutputs(cell.outputs) });
 * const { files } = sessionCrate(record, { notebook: savedBytes, exportTime: new Date() });  // write each file
 * ```
 *
 * @module
 */
export * from './vocabulary.js';
export { CrateBuilder, ref, asArray, idsOf, typesOf, hasType, licenseUrl, NO_LICENSE, type Ref, type Entity, type CrateJson, type NewCrateOptions, type License } from './builder.js';
export { addData, contentId, pathToId, idToPath, type DescribedData } from './data-entity.js';
export { addAgent, agentId, orcidUrl, parsePerson, type Agent, type Person, type Organization } from './agents.js';
export { addSoftware, softwareId, FAIRIO_URL, type Software } from './software.js';
export { addProcessRun, addParameter, formatTime, newRunId, COMPLETED, FAILED, type ProcessRun, type RunParameter, type ParameterValue } from './process-run.js';
export { addWorkflow, type WorkflowDefinition, type WorkflowStep, type WorkflowTool, type WorkflowParameter, type ComputerLanguage } from './workflow.js';
export { addWorkflowRun, type WorkflowRun, type StepRun, type Binding, type ActionExtras } from './workflow-run.js';
export { sha256Hex } from './sha256.js';
export {
  SESSION_RECORD_VERSION,
  newSessionRecord,
  readSessionRecord,
  digestOutputs,
  type SessionRecord,
  type SessionEnvironment,
  type RecordedKernel,
  type KernelLanguage,
  type CellExecution,
  type ExecutionStatus,
  type OutputDigest,
  type OutputType,
  type NotebookOutput,
  type FairioRunCrate,
} from './session-record.js';
export { sessionCrate, RUN_CRATES_FOLDER, type SessionCrate, type SessionCrateOptions, type CrateFile } from './session-crate.js';
