/**
 * `--license`: a licence that a reader of the crate (or WorkflowHub, or the
 * Model Zoo) can resolve — an SPDX licence id from the SPDX licence list, or
 * an http(s) URL. Anything else is refused before work starts: a typo would
 * otherwise be written into every crate of the run as if it were a licence.
 */
import { createRequire } from 'node:module';
import { FairioError } from '@fairio/ngff/errors';

const require = createRequire(import.meta.url);
/** The SPDX licence list's current and deprecated ids (npm `spdx-license-ids`, CC0). */
const current = new Map((require('spdx-license-ids') as string[]).map((id) => [id.toLowerCase(), id]));
const deprecated = new Set((require('spdx-license-ids/deprecated.json') as string[]).map((id) => id.toLowerCase()));

/**
 * `license` as an SPDX id in its canonical spelling, or the URL unchanged
 * (unless `urls` is false: Galaxy workflows take SPDX ids only); throws
 * INVALID_ARGUMENT otherwise.
 */
export function checkLicense(license: string, { urls = true }: { urls?: boolean } = {}): string {
  const text = license.trim();
  if (urls && /^https?:\/\/\S+$/.test(text)) return text;
  const id = current.get(text.toLowerCase());
  if (id) return id;
  const hint = deprecated.has(text.toLowerCase()) ? 'a deprecated SPDX id (e.g. GPL-3.0 is now GPL-3.0-only or GPL-3.0-or-later)' : `${urls ? 'neither' : 'not'} an SPDX licence id (e.g. CC-BY-4.0, CC0-1.0, MIT; see https://spdx.org/licenses/)${urls ? ' nor an http(s) URL' : ''}`;
  throw new FairioError('INVALID_ARGUMENT', `--license "${license}" is ${hint}`);
}
