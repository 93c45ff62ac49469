/** The recorder's settings (schema/recorder.json), with their defaults. */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';

export interface RecorderSettings {
  /** Licence of exported crates: SPDX id or URL; empty: the crate states that none was declared. */
  license: string;
  creatorName: string;
  creatorOrcid: string;
  /** Ask Python kernels for their installed distributions. */
  listPackages: boolean;
  /** How many folder levels below the notebook's to look for fairio run crates. */
  scanDepth: number;
  /** Record every notebook from when it opens. */
  autoStart: boolean;
  /** Save the notebook before exporting, so the copy in the crate has the outputs of the session. */
  saveBeforeExport: boolean;
}

export function defaultSettings(): RecorderSettings {
  return { license: '', creatorName: '', creatorOrcid: '', listPackages: true, scanDepth: 3, autoStart: false, saveBeforeExport: true };
}

export function readSettings(settings: ISettingRegistry.ISettings): RecorderSettings {
  const d = defaultSettings();
  const get = <K extends keyof RecorderSettings>(key: K): RecorderSettings[K] => {
    const value = settings.get(key).composite;
    return (typeof value === typeof d[key] ? value : d[key]) as RecorderSettings[K];
  };
  return { license: get('license'), creatorName: get('creatorName'), creatorOrcid: get('creatorOrcid'), listPackages: get('listPackages'), scanDepth: get('scanDepth'), autoStart: get('autoStart'), saveBeforeExport: get('saveBeforeExport') };
}
