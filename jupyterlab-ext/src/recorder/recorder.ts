/**
 * Recording one notebook: hooks its kernel connection (every message, both
 * directions, through `anyMessage`; the hook moves when the kernel changes),
 * describes each kernel it sees, places executed cells in the notebook
 * (NotebookActions.executed), looks for the crates of fairio runs after each
 * execution, and stores the record after every change.
 */
import { newSessionRecord, type SessionEnvironment, type SessionRecord } from '@fairio/provenance/browser';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Contents, Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { describeKernel } from './environment.js';
import { ExecutionTracker, type JupyterMessage } from './executions.js';
import { findRunCrates } from './run-crates.js';
import type { RecordStore } from './store.js';
import type { RecorderSettings } from './settings.js';

export interface RecorderDeps {
  store: RecordStore;
  contents: Contents.IManager;
  settings: () => RecorderSettings;
}

export class NotebookRecorder {
  readonly changed = new Signal<NotebookRecorder, void>(this);
  private readonly tracker: ExecutionTracker;
  private kernel: Kernel.IKernelConnection | null = null;
  private scanning?: Promise<void>;
  private rescan = false;
  private disposed = false;

  constructor(
    readonly panel: NotebookPanel,
    readonly record: SessionRecord,
    private readonly deps: RecorderDeps,
  ) {
    this.tracker = new ExecutionTracker(record, () => this.kernel?.id, () => this.save());
    this.tracker.paused = this.paused;
    panel.sessionContext.kernelChanged.connect(this.onKernelChanged, this);
    this.hook(panel.sessionContext.session?.kernel ?? null);
    void this.save();
  }

  /** A new recording of `panel`'s notebook. */
  static start(panel: NotebookPanel, environment: SessionEnvironment, deps: RecorderDeps): NotebookRecorder {
    const s = deps.settings();
    const agent = s.creatorName ? { name: s.creatorName, ...(s.creatorOrcid ? { orcid: s.creatorOrcid } : {}) } : undefined;
    const record = newSessionRecord({ id: crypto.randomUUID(), notebook: panel.context.path, startTime: new Date(), environment, ...(agent ? { agent } : {}) });
    return new NotebookRecorder(panel, record, deps);
  }

  get paused(): boolean {
    const last = this.record.pauses.at(-1);
    return last !== undefined && last.end === undefined;
  }

  get recording(): boolean {
    return this.record.endTime === undefined;
  }

  pause(): void {
    if (this.paused || !this.recording) return;
    this.record.pauses.push({ start: new Date().toISOString() });
    this.tracker.paused = true;
    void this.save();
  }

  resume(): void {
    if (!this.paused) return;
    this.record.pauses.at(-1)!.end = new Date().toISOString();
    this.tracker.paused = false;
    void this.save();
  }

  /** Stop recording: the record is final (and can still be exported). */
  async stop(): Promise<void> {
    if (!this.recording) return;
    await this.scan();
    if (this.paused) this.record.pauses.at(-1)!.end = new Date().toISOString();
    this.record.endTime = new Date().toISOString();
    this.detach();
    await this.save();
  }

  /** A cell of this notebook finished (NotebookActions.executed). */
  executed(cellId: string, cellIndex: number): void {
    this.tracker.placeCell(cellId, cellIndex);
    void this.scan();
  }

  /** Look for crates fairio runs wrote or updated since the session started (one scan at a time; a request during one repeats it). */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      try {
        do {
          this.rescan = false;
          const known = new Map(this.record.fairioRuns.map((r) => [r.path, r.sha256]));
          const found = await findRunCrates(this.deps.contents, PathExt.dirname(this.record.notebook.path), new Date(this.record.startTime), this.deps.settings().scanDepth, known);
          if (found.length) {
            this.record.fairioRuns = [...this.record.fairioRuns.filter((r) => !found.some((f) => f.path === r.path)), ...found];
            await this.save();
          }
        } while (this.rescan && !this.disposed);
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  private save(): Promise<void> {
    this.changed.emit();
    return this.deps.store.save(this.record);
  }

  private onKernelChanged(): void {
    this.hook(this.panel.sessionContext.session?.kernel ?? null);
  }

  private onMessage = (_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void => {
    const message = args.msg as unknown as JupyterMessage;
    if (args.direction === 'send') this.tracker.sentMessage(message);
    else this.tracker.receivedMessage(message);
  };

  private hook(kernel: Kernel.IKernelConnection | null): void {
    this.kernel?.anyMessage.disconnect(this.onMessage);
    this.kernel = this.recording ? kernel : null;
    if (!this.kernel) return;
    this.kernel.anyMessage.connect(this.onMessage);
    const id = this.kernel.id;
    if (this.record.kernels.some((k) => k.id === id)) return;
    // A placeholder at once, so that executions can name the kernel before it has been described.
    this.record.kernels.push({ id, name: this.kernel.name, language: { name: 'unknown' } });
    void this.save();
    const connection = this.kernel;
    void describeKernel(connection, { packages: this.deps.settings().listPackages, ignore: (msgId) => this.tracker.ignore(msgId) })
      .then((described) => {
        const i = this.record.kernels.findIndex((k) => k.id === id);
        if (i >= 0) this.record.kernels[i] = described;
        return this.save();
      })
      .catch(() => undefined);
  }

  private detach(): void {
    this.kernel?.anyMessage.disconnect(this.onMessage);
    this.kernel = null;
    this.panel.sessionContext.kernelChanged.disconnect(this.onKernelChanged, this);
  }

  dispose(): void {
    this.disposed = true;
    this.detach();
  }
}
