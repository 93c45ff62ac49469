/**
 * @fairio/provenance: every fairio run leaves an RO-Crate 1.1. Process,
 * Workflow and Provenance Run Crates (0.5) for what ran; FAIR Image Object
 * metadata inside OME-Zarr (the OME 2024 NGFF challenge shape); Workflow
 * RO-Crate zips for WorkflowHub; checksums, verification, validation and an
 * HTML preview. No network is ever needed: the RO-Crate context is bundled.
 *
 * ```ts
 * import { recordRun, verifyCrate, validateCrate } from '@fairio/provenance';
 * const started = new Date();
 * // ... write out/cells.ome.zarr from cells.tif ...
 * await recordRun({ name: 'Convert cells.tif', tool: 'convert', inputs: ['cells.tif'], outputs: ['out/cells.ome.zarr'], startTime: started },
 *   { images: { 'out/cells.ome.zarr': { license: 'CC-BY-4.0', organism: 'NCBITaxon:9606', imagingMethod: 'FBbi:00000246' } } });
 * (await verifyCrate('out')).ok;                                    // true until a byte changes
 * (await validateCrate('out', { profiles: ['process'] })).valid;    // REQUIRED rules of Process Run Crate 0.5
 * ```
 *
 * @module
 */
export * from './vocabulary.js';
export { bundledContext, bundledContextFiles, isDefinedTerm } from './bundled-context.js';
export { CrateBuilder, ref, asArray, idsOf, typesOf, hasType, licenseUrl, NO_LICENSE, type Ref, type Entity, type CrateJson, type NewCrateOptions, type License } from './builder.js';
export { hashFile, hashTree, listFiles, hashingStream, sha256Of, type FileDigest, type HashTreeOptions } from './hash.js';
export { fileEncodingFormat, folderEncodingFormat, isOmeZarr } from './encoding-format.js';
export { formatManifest, parseManifest, folderDigest, type ManifestEntry } from './manifest.js';
export { DigestCache, describeData, relativeToCrate } from './data-entities.js';
export { addData, contentId, pathToId, idToPath, type DescribedData } from './data-entity.js';
export { addAgent, agentId, orcidUrl, parsePerson, type Agent, type Person, type Organization } from './agents.js';
export { addSoftware, softwareId, onnxRuntimeSoftware, imageJSoftware, FAIRIO_URL, type Software } from './software.js';
export { fairioSoftware, nodeSoftware } from './fairio-software.js';
export { addProcessRun, addParameter, formatTime, newRunId, COMPLETED, FAILED, type ProcessRun, type RunParameter, type ParameterValue } from './process-run.js';
export { addWorkflow, GALAXY, type WorkflowDefinition, type WorkflowStep, type WorkflowTool, type WorkflowParameter, type ParameterType, type ComputerLanguage } from './workflow.js';
export { addWorkflowRun, type WorkflowRun, type StepRun, type Binding, type ActionExtras } from './workflow-run.js';
export { recordWorkflowRun, type WorkflowRunRecord, type PathBinding } from './record-workflow-run.js';
export { exportWorkflowCrate, type WorkflowCrateOptions } from './workflow-ro-crate.js';
export { writeImageCrate, normaliseTaxon, normaliseFbbi, type ImageDescription, type ImageCrateOptions } from './image-crate.js';
export { recordRun, type RunRecord, type RecordOptions, type RecordedRun, type DataRef } from './record.js';
export { updateCrate, readCrateFile, type CrateChanges, type UpdateCrateOptions } from './update-crate.js';
export { withCrateLock, writeFileAtomic, type LockOptions } from './lock.js';
export { readCrate, extractCrate, parseCrateJson, escapesCrate, Crate, MAX_METADATA_BYTES } from './reader.js';
export { zipFolder, ZipReader, unsafeEntryName, crc32, type ZipLimits, type ZipEntry } from './zip.js';
export { verifyCrate, type VerifyReport } from './verify.js';
export { validateCrate, checkCrate, claimedProfiles, CRATE_CHECKS, type CrateValidationReport, type CrateFinding, type CrateCheck, type Severity } from './validate/index.js';
export { sha256Hex } from './sha256.js';
export { SESSION_RECORD_VERSION, newSessionRecord, readSessionRecord, digestOutputs, type SessionRecord, type SessionEnvironment, type RecordedKernel, type CellExecution, type OutputDigest, type NotebookOutput, type FairioRunCrate } from './session-record.js';
export { sessionCrate, RUN_CRATES_FOLDER, type SessionCrate, type SessionCrateOptions, type CrateFile } from './session-crate.js';
export { renderPreview } from './preview.js';
export { renderThumbnail, encodePng } from './thumbnail.js';
