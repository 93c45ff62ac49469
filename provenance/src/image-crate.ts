/**
 * FAIR Image Objects: an OME-Zarr that says, in its own
 * `ro-crate-metadata.json`, what it is and how it was made. The shape is the
 * one the OME 2024 NGFF challenge writes and the OME-NGFF validator and the
 * challenge dashboard read — root `name`, `description`, `license` (a URL
 * string), `resultOf` an `image_acquisition` with an FBbi `fbbi_id`, whose
 * `specimen` has a `biosample` with an NCBI taxon `organism_classification`
 * — plus axes, sizes, physical pixel sizes and channels as `PropertyValue`s,
 * and (when a run made it) the Process Run Crate `CreateAction` whose result
 * is the image itself.
 */
import * as path from 'node:path';
import { FairioError, summarise, type ImageSummary } from '@fairio/ngff';
import { ref, type CrateBuilder, type CrateJson, type Entity, type License } from './builder.js';
import { addAgent, type Agent } from './agents.js';
import { describeData, DigestCache } from './data-entities.js';
import { addData } from './data-entity.js';
import { addProcessRun, type ProcessRun } from './process-run.js';
import { updateCrate } from './update-crate.js';
import type { LockOptions } from './lock.js';

export interface ImageDescription {
  name?: string;
  description?: string;
  /** SPDX id (CC-BY-4.0, CC0-1.0, …) or licence URL. */
  license?: License;
  /** NCBI taxon of the organism imaged: NCBITaxon:9606, NCBI:txid9606, 9606 or an OBO/NCBI URL. */
  organism?: string;
  /** FBbi imaging method: FBbi:00000246, FBbi_00000246, obo:FBbi_00000246 or the OBO URL. */
  imagingMethod?: string;
  creators?: Agent[];
  keywords?: string[];
}

/** An NCBI taxon as the challenge writes it (`NCBI:txid9606`); throws INVALID_ARGUMENT for anything else. */
export function normaliseTaxon(text: string): string {
  const match = /^(?:NCBITaxon[:_]|NCBI:txid|txid|https?:\/\/purl\.obolibrary\.org\/obo\/NCBITaxon_|https?:\/\/www\.ncbi\.nlm\.nih\.gov\/Taxonomy\/Browser\/wwwtax\.cgi\?id=|https?:\/\/identifiers\.org\/taxonomy:)?(\d+)$/i.exec(text.trim());
  if (!match) throw new FairioError('INVALID_ARGUMENT', `"${text}" is not an NCBI taxon (e.g. NCBITaxon:9606 for Homo sapiens)`);
  return `NCBI:txid${match[1]}`;
}

/** An FBbi term as the challenge writes it (`obo:FBbi_00000246`); throws INVALID_ARGUMENT for anything else. */
export function normaliseFbbi(text: string): string {
  const match = /^(?:obo:|https?:\/\/purl\.obolibrary\.org\/obo\/)?FBbi[:_](\d{8})$/i.exec(text.trim());
  if (!match) throw new FairioError('INVALID_ARGUMENT', `"${text}" is not an FBbi imaging-method term (e.g. FBbi:00000246 for fluorescence microscopy)`);
  return `obo:FBbi_${match[1]}`;
}

/** Axes, shape, physical pixel sizes and channels of an image as PropertyValues on the root. */
function imageProperties(builder: CrateBuilder, image: ImageSummary, ngffVersion: string | undefined): void {
  const values: Entity[] = [];
  const pv = (key: string, name: string, value: string | number, unitText?: string) =>
    values.push({ '@id': `#${key}`, '@type': 'PropertyValue', name, value, ...(unitText ? { unitText } : {}) });
  if (ngffVersion) pv('ngff-version', 'OME-NGFF version', ngffVersion);
  pv('axes', 'axes', image.axes.map((a) => a.name).join(','));
  const level0 = image.levels[0];
  image.axes.forEach((axis, i) => {
    pv(`size-${axis.name}`, `size ${axis.name}`, level0.shape[i], axis.type === 'channel' ? 'channels' : 'pixels');
    if (axis.type === 'space' || axis.type === 'time') pv(`physical-size-${axis.name}`, `physical size ${axis.name}`, level0.scale[i], axis.unit);
  });
  pv('data-type', 'data type', level0.dtype);
  pv('pyramid-levels', 'pyramid levels', image.levels.length);
  (image.channels ?? []).forEach((c, i) => pv(`channel-${i}`, `channel ${i}`, c.label ?? `channel ${i}`));
  for (const v of values) builder.put(v);
  builder.set(builder.rootId, { additionalProperty: values.map((v) => ref(v['@id'])) });
}

function acquisition(builder: CrateBuilder, description: ImageDescription): void {
  if (!description.organism && !description.imagingMethod) return;
  const acq: Entity = { '@id': '#image-acquisition', '@type': 'image_acquisition', name: 'image acquisition' };
  if (description.imagingMethod) acq.fbbi_id = ref(normaliseFbbi(description.imagingMethod));
  if (description.organism) {
    builder.put({ '@id': '#biosample', '@type': 'biosample', name: 'biosample', organism_classification: ref(normaliseTaxon(description.organism)) });
    builder.put({ '@id': '#specimen', '@type': 'specimen', name: 'specimen', biosample: ref('#biosample') });
    acq.specimen = ref('#specimen');
  }
  builder.put(acq);
  builder.set(builder.rootId, { resultOf: ref('#image-acquisition') });
}

export interface ImageCrateOptions {
  /** The run that wrote the image: recorded as a CreateAction whose result is the image. */
  run?: ProcessRun;
  cache?: DigestCache;
  lock?: LockOptions;
  preview?: boolean;
}

/**
 * Write (or update) `ro-crate-metadata.json`, `manifest-sha256.txt` and
 * `ro-crate-preview.html` at the root of an OME-Zarr.
 */
export async function writeImageCrate(omeZarr: string, description: ImageDescription = {}, options: ImageCrateOptions = {}): Promise<CrateJson> {
  // Check the arguments before touching anything.
  if (description.organism) normaliseTaxon(description.organism);
  if (description.imagingMethod) normaliseFbbi(description.imagingMethod);
  const summary = await summarise(omeZarr);
  const cache = options.cache ?? new DigestCache();
  const image = summary.image ?? summary.series?.[0] ?? summary.plate?.firstField;
  const name = description.name ?? summary.image?.name ?? path.basename(path.resolve(omeZarr));
  const text = description.description ?? `${summary.kind === 'image' ? 'Image' : summary.kind} stored as OME-Zarr (OME-NGFF ${summary.ngffVersion ?? '?'}, Zarr v${summary.zarrFormat}).`;
  const self = await describeData(omeZarr, omeZarr, { cache });
  return updateCrate(
    omeZarr,
    (builder) => {
      builder.useNgffChallengeTerms();
      builder.set(builder.rootId, { name, description: text });
      builder.setLicense(description.license, { asText: true });
      if (description.keywords?.length) builder.set(builder.rootId, { keywords: description.keywords.join(', ') });
      if (description.creators?.length) builder.set(builder.rootId, { author: description.creators.map((c) => addAgent(builder, c)) });
      acquisition(builder, description);
      if (image) imageProperties(builder, image, summary.ngffVersion);
      addData(builder, self);
      if (options.run) addProcessRun(builder, { ...options.run, outputs: [self] });
      return { manifest: self.manifest, replacePaths: [''] };
    },
    { create: { name, description: text, license: description.license, ngffChallenge: true }, lock: options.lock, preview: options.preview },
  );
}
