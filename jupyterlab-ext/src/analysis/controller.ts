/**
 * One analysis run from the viewer, start to end: prepare the tool (kept
 * for the next run while its kind and path stay the same), check the chosen
 * channels against what it takes, run it on the visible region or the whole
 * plane with progress and cancelling, hand the result to the overlay, and
 * write the run next to the image: the result as OME-Zarr 0.5 and its Process
 * Run Crate, atomically, where the recorder finds it.
 */
import type { Contents } from '@jupyterlab/services';
import { omeZarrFiles, type Axis } from '@fairio/ngff/browser';
import type { StoreRef } from '../worker/protocol.js';
import { analysisCrate } from './crate.js';
import { freePath, runFolderName, saveRunFolder, type CrateFile } from './save.js';
import { AnalysisCancelled, type AnalysisContext, type AnalysisKind, type AnalysisOutput, type AnalysisProgress, type AnalysisRequest, type PreparedAnalysis, type Region } from './runner.js';

export type AnalysisState = 'idle' | 'preparing' | 'running' | 'writing' | 'done' | 'failed' | 'cancelled';

/** What the viewer tells about its image. */
export interface AnalysisHost {
  store: StoreRef;
  /** Server path of the store (relative to the Jupyter root), or its URL. */
  storeLabel: string;
  imagePath: string;
  width0: number;
  height0: number;
  channelCount: number;
  z: number;
  t: number;
  pixelSize: { x: number; y: number; unitX?: string; unitY?: string };
  /** The region in view (level-0 pixels, clipped to the image, whole pixels). */
  visibleRegion(): Region;
}

export interface AnalysisServices {
  contents: Contents.IManager;
  context: () => AnalysisContext;
  /** Where runs go: '' = next to the image, else a folder of the Jupyter tree. */
  folder: () => string;
  /** Largest region analysed at once, in pixels. */
  maxPixels: () => number;
  extensionVersion: string;
}

export interface RunChoice {
  kind: AnalysisKind;
  path: string;
  scope: 'visible' | 'image';
  /** Image channels to feed; empty: let the tool's input decide (all when the counts match, else the first). */
  channels: number[];
}

export interface RunOutcome {
  output: AnalysisOutput;
  request: AnalysisRequest;
  /** The run's folder in the Jupyter tree. */
  folder: string;
}

export interface ControllerEvents {
  state(state: AnalysisState, message: string): void;
  progress(p: AnalysisProgress): void;
}

export class AnalysisController {
  private prepared: { key: string; analysis: PreparedAnalysis } | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly services: AnalysisServices, private readonly events: ControllerEvents) {}

  get running(): boolean {
    return this.abort !== undefined;
  }

  cancel(): void {
    this.abort?.abort();
  }

  dispose(): void {
    this.cancel();
    this.prepared?.analysis.dispose();
    this.prepared = undefined;
  }

  private async prepare(choice: RunChoice, signal: AbortSignal): Promise<PreparedAnalysis> {
    const key = `${choice.kind.id}|${choice.path}|${this.services.context().tileSize}`;
    if (this.prepared?.key === key) return this.prepared.analysis;
    this.prepared?.analysis.dispose();
    this.prepared = undefined;
    const analysis = await choice.kind.prepare(choice.path, this.services.context());
    if (signal.aborted) {
      analysis.dispose();
      throw new AnalysisCancelled();
    }
    this.prepared = { key, analysis };
    return analysis;
  }

  /** Region of the run; the whole plane or what is in view, refused above the size limit. */
  private region(host: AnalysisHost, scope: RunChoice['scope']): Region {
    const region = scope === 'image' ? { x: 0, y: 0, width: host.width0, height: host.height0 } : host.visibleRegion();
    if (region.width < 1 || region.height < 1) throw new Error('no part of the image is in view; pan or fit the image first');
    const max = this.services.maxPixels();
    if (region.width * region.height > max) {
      throw new Error(`the ${scope === 'image' ? 'image plane' : 'visible region'} is ${region.width}×${region.height} pixels, more than the ${(max / 1e6).toFixed(0)} megapixels the viewer analyses at once (setting "Largest region"); zoom in, or run fairio predict on the whole image`);
    }
    return region;
  }

  private channels(analysis: PreparedAnalysis, host: AnalysisHost, chosen: number[]): number[] {
    const wanted = analysis.inputChannels;
    const all = Array.from({ length: host.channelCount }, (_, i) => i);
    if (chosen.length) {
      if (typeof wanted === 'number' && chosen.length !== wanted) throw new Error(`"${analysis.description.name}" takes ${wanted} channel${wanted === 1 ? '' : 's'}, but ${chosen.length} ${chosen.length === 1 ? 'was' : 'were'} chosen`);
      return chosen;
    }
    if (wanted === 'any' || wanted === host.channelCount) return all;
    if (wanted === 1) return [0];
    throw new Error(`"${analysis.description.name}" takes ${wanted} channels but the image has ${host.channelCount}`);
  }

  async run(host: AnalysisHost, choice: RunChoice, show: (outcome: RunOutcome) => void): Promise<RunOutcome | undefined> {
    if (this.abort) throw new Error('an analysis is already running; cancel it first');
    const abort = (this.abort = new AbortController());
    const started = new Date();
    try {
      this.events.state('preparing', `Reading ${choice.path}…`);
      const region = this.region(host, choice.scope);
      const analysis = await this.prepare(choice, abort.signal);
      const request: AnalysisRequest = { store: host.store, imagePath: host.imagePath, region, z: host.z, t: host.t, channels: this.channels(analysis, host, choice.channels) };
      this.events.state('running', `Running ${analysis.description.name} on ${region.width}×${region.height} pixels…`);
      const output = await analysis.run(request, { onProgress: (p) => this.events.progress(p), signal: abort.signal });
      const ended = new Date();
      show({ output, request, folder: '' });
      this.events.state('writing', 'Writing the result and its crate…');
      const folder = await this.write(host, choice, analysis, request, output, started, ended);
      const outcome = { output, request, folder };
      this.events.state('done', `${analysis.description.name}: ${region.width}×${region.height} pixels in ${((ended.getTime() - started.getTime()) / 1000).toFixed(1)} s; written to ${folder}`);
      return outcome;
    } catch (error) {
      if (error instanceof AnalysisCancelled || abort.signal.aborted) {
        this.prepared = undefined; // its worker is gone
        this.events.state('cancelled', 'The analysis was cancelled.');
        return undefined;
      }
      this.events.state('failed', `Cannot run ${choice.path || 'the analysis'}: ${(error as Error).message}`);
      return undefined;
    } finally {
      this.abort = undefined;
    }
  }

  private async write(host: AnalysisHost, choice: RunChoice, analysis: PreparedAnalysis, request: AnalysisRequest, output: AnalysisOutput, started: Date, ended: Date): Promise<string> {
    const storePath = host.storeLabel.replace(/\/+$/, '');
    if (/^https?:\/\//i.test(storePath) && !this.services.folder()) throw new Error('the image is not in the Jupyter file tree; set "Folder for analysis runs" to save runs of remote images');
    const storeName = storePath.split('/').pop() ?? 'image';
    const parent = this.services.folder() || storePath.split('/').slice(0, -1).join('/');
    const target = await freePath(this.services.contents, [parent, runFolderName(storeName, host.imagePath, started)].filter(Boolean).join('/'));
    const resultFolder = output.kind === 'labels' ? 'labels.ome.zarr' : 'prediction.ome.zarr';
    const { x: sx, y: sy, unitX, unitY } = host.pixelSize;
    const axes: Axis[] = [{ name: 'c', type: 'channel' }, { name: 'y', type: 'space', ...(unitY ? { unit: unitY } : {}) }, { name: 'x', type: 'space', ...(unitX ? { unit: unitX } : {}) }];
    const image = omeZarrFiles({
      data: output.data,
      shape: [output.channels, output.height, output.width],
      chunks: [1, Math.min(512, output.height), Math.min(512, output.width)],
      axes,
      scale: [1, sy, sx],
      translation: [0, request.region.y * sy, request.region.x * sx],
      name: `${analysis.description.name} on ${storeName}`,
      channels: (output.channelNames ?? Array.from({ length: output.channels }, (_, i) => `channel ${i}`)).map((label) => ({ label })),
    });
    const crate = analysisCrate({
      description: analysis.description,
      request,
      image: [storePath, host.imagePath].filter(Boolean).join('/'),
      scope: choice.scope,
      output,
      resultFolder,
      extensionVersion: this.services.extensionVersion,
      startTime: started,
      endTime: ended,
    });
    const files: CrateFile[] = [...image.map((f) => ({ path: `${resultFolder}/${f.path}`, bytes: f.bytes })), { path: 'ro-crate-metadata.json', text: crate }];
    await saveRunFolder(this.services.contents, target, files, (done, total) => this.events.progress({ done, total, phase: 'writing' }));
    return target;
  }
}
