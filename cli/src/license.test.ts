import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../tests/helpers/reference.js';
import { checkLicense } from './license.js';

// bioimageio.spec (PyPI) ships its own copy of the SPDX licence list: an independent reference for which ids exist.
const specList = path.join(projectRoot, '.venv', 'lib', 'python3.11', 'site-packages', 'bioimageio', 'spec', 'static', 'spdx_licenses.json');

describe('checkLicense (--license)', () => {
  it.skipIf(!fs.existsSync(specList))('accepts every current id of the SPDX list bioimageio.spec ships, in its canonical spelling, and refuses every deprecated one', () => {
    const { licenses } = JSON.parse(fs.readFileSync(specList, 'utf8')) as { licenses: { licenseId: string; isDeprecatedLicenseId: boolean }[] };
    const current = licenses.filter((l) => !l.isDeprecatedLicenseId).map((l) => l.licenseId);
    expect(current.length).toBeGreaterThan(500);
    expect(current.filter((id) => checkLicense(id.toLowerCase()) !== id)).toEqual([]);
    const deprecated = licenses.filter((l) => l.isDeprecatedLicenseId).map((l) => l.licenseId);
    expect(deprecated.filter((id) => { try { checkLicense(id); return true; } catch { return false; } })).toEqual([]);
  });

  it('keeps URLs (except where only SPDX ids are allowed) and names what is wrong with anything else', () => {
    expect(checkLicense('https://example.org/our-data-licence')).toBe('https://example.org/our-data-licence');
    expect(() => checkLicense('https://example.org/l', { urls: false })).toThrow('--license "https://example.org/l" is not an SPDX licence id');
    expect(() => checkLicense('nonsense')).toThrow(/"nonsense" is neither an SPDX licence id .* nor an http\(s\) URL/);
    expect(() => checkLicense('GPL-3.0')).toThrow('deprecated SPDX id');
    expect(() => checkLicense('use freely')).toThrow('is neither');
  });
});
