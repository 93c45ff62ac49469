/**
 * The FAIR metadata options every image-writing fairio command takes
 * (`addFairOptions` in cli/src/commands/crate.ts): in Galaxy they form one
 * collapsed section, "FAIR metadata", shared by the tools through a macro.
 */
import type { ParameterSpec } from '@fairio/model-runner/nodes';

/** Name of the Galaxy section that holds them. */
export const FAIR_SECTION = 'fair';

export const fairParameters: ParameterSpec[] = [
  { name: 'license', type: 'text', label: 'Licence', help: 'Licence of the outputs, written into their RO-Crates: an SPDX id (CC-BY-4.0, CC0-1.0, …) or a URL.', optional: true, pattern: '[A-Za-z0-9.+-]+|https?://\\S+' },
  { name: 'organism', type: 'text', label: 'Organism', help: 'NCBI taxon of the organism imaged, e.g. NCBITaxon:9606 (human) or NCBITaxon:10090 (mouse).', optional: true },
  { name: 'imagingMethod', type: 'text', label: 'Imaging method', help: 'FBbi term of the imaging method, e.g. FBbi:00000246 (fluorescence microscopy).', optional: true },
  { name: 'description', type: 'text', label: 'Description', help: 'What the images show, for their RO-Crates.', optional: true },
  { name: 'creator', type: 'text', label: 'Creator', help: 'Who made the data: "Name" or "Name <ORCID>"; also recorded as the agent of the run.', optional: true },
];
