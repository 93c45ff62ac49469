/**
 * The reproducibility recorder plugin: records notebook sessions (start,
 * pause / resume, stop, export as a Workflow Run / Provenance Run Crate, from
 * the command palette), resumes an unfinished recording when its notebook
 * opens again (after a reload or a crash), and shows in the status bar
 * whether the current notebook is being recorded.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions, type NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import type { SessionEnvironment } from '@fairio/provenance/browser';
import { describeJupyterLab } from './environment.js';
import { exportSession } from './export.js';
import { holdRecordLock } from './lock.js';
import { NotebookRecorder, type RecorderDeps } from './recorder.js';
import { defaultSettings, readSettings, type RecorderSettings } from './settings.js';
import { RecorderStatus } from './status.js';
import { RecordStore } from './store.js';

const PLUGIN_ID = 'jupyterlab-fairio:recorder';
/** This extension, as the session's environment names it (the server's extension list gives the installed version). */
const EXTENSION = { name: 'jupyterlab-fairio', version: 'unknown' };

/** Command ids of the recorder (palette, tests). */
export const RecorderCommandIDs = {
  start: 'fairio:recorder-start',
  togglePause: 'fairio:recorder-toggle-pause',
  stop: 'fairio:recorder-stop',
  export: 'fairio:recorder-export',
} as const;

export const recorderPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Reproducibility recorder: notebook sessions as Workflow Run / Provenance Run Crates',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ISettingRegistry, IStatusBar],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, palette: ICommandPalette | null, settingRegistry: ISettingRegistry | null, statusBar: IStatusBar | null) => {
    let settings: RecorderSettings = defaultSettings();
    const deps: RecorderDeps = { store: new RecordStore(), contents: app.serviceManager.contents, settings: () => settings };
    const recorders = new Map<NotebookPanel, NotebookRecorder>();
    let environment: Promise<SessionEnvironment> | undefined;
    const env = () => (environment ??= describeJupyterLab(EXTENSION));

    const status = new RecorderStatus(() => void app.commands.execute(RecorderCommandIDs.togglePause));
    const current = () => (tracker.currentWidget ? recorders.get(tracker.currentWidget) : undefined);
    const refresh = () => {
      const r = current();
      status.display(r && r.recording ? { state: r.paused ? 'paused' : 'recording', notebook: r.record.notebook.path, executions: r.record.executions.length } : { state: 'off' });
      app.commands.notifyCommandChanged();
    };
    statusBar?.registerStatusItem(`${PLUGIN_ID}:status`, { item: status, align: 'left', rank: 5, isActive: () => true });
    tracker.currentChanged.connect(refresh);

    const attach = (panel: NotebookPanel, recorder: NotebookRecorder, release: () => void) => {
      recorders.get(panel)?.dispose();
      recorders.set(panel, recorder);
      recorder.changed.connect(refresh);
      panel.disposed.connect(() => {
        recorder.dispose();
        release();
        recorders.delete(panel);
        refresh();
      });
      refresh();
    };

    const start = async (panel: NotebookPanel) => {
      await panel.context.ready;
      if (recorders.get(panel)?.recording) return;
      const recorder = NotebookRecorder.start(panel, await env(), deps);
      attach(panel, recorder, (await holdRecordLock(recorder.record.id)).release);
    };

    // An unfinished recording of a notebook that opens (again) is resumed: a reload loses nothing.
    const opened = async (panel: NotebookPanel) => {
      await panel.context.ready;
      if (recorders.has(panel)) return;
      const latest = await deps.store.latest(panel.context.path).catch(() => undefined);
      if (latest && latest.endTime === undefined) {
        // Another tab with this notebook may be recording it: then that tab keeps the record.
        const lock = await holdRecordLock(latest.id);
        if (lock.held) attach(panel, new NotebookRecorder(panel, latest, deps), lock.release);
      }
      else if (settings.autoStart) await start(panel);
    };
    tracker.widgetAdded.connect((_, panel) => void opened(panel));
    tracker.forEach((panel) => void opened(panel));

    NotebookActions.executed.connect((_, { notebook, cell }) => {
      for (const [panel, recorder] of recorders) {
        if (panel.content === notebook && recorder.recording) recorder.executed(cell.model.id, notebook.widgets.indexOf(cell));
      }
    });

    const hasNotebook = () => tracker.currentWidget !== null;
    app.commands.addCommand(RecorderCommandIDs.start, {
      label: 'Start recording this notebook session',
      caption: 'Record every cell run (code, kernel, times, status, output digests), the environment and the fairio runs, for export as an RO-Crate',
      isEnabled: () => hasNotebook() && !current()?.recording,
      execute: async () => {
        if (tracker.currentWidget) await start(tracker.currentWidget);
      },
    });
    app.commands.addCommand(RecorderCommandIDs.togglePause, {
      label: () => (current()?.paused ? 'Resume recording' : 'Pause recording'),
      caption: 'Cells run while the recording is paused are left out of it',
      isEnabled: () => Boolean(current()?.recording),
      isToggled: () => Boolean(current()?.paused),
      execute: () => {
        const r = current();
        if (!r) return;
        if (r.paused) r.resume();
        else r.pause();
      },
    });
    app.commands.addCommand(RecorderCommandIDs.stop, {
      label: 'Stop recording',
      isEnabled: () => Boolean(current()?.recording),
      execute: async () => {
        await current()?.stop();
        refresh();
      },
    });
    app.commands.addCommand(RecorderCommandIDs.export, {
      label: 'Export the recorded session as an RO-Crate',
      caption: 'Write NAME.session-….crate next to the notebook: the notebook, its cell runs and environment, linked to the crates of the fairio runs',
      isEnabled: () => hasNotebook(),
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) return;
        // Saving, scanning for run crates and writing through the contents API take seconds on a busy server: say so.
        const progress = Notification.emit(`Exporting the session of ${panel.context.path}…`, 'in-progress', { autoClose: false });
        try {
          const recorder = recorders.get(panel);
          if (settings.saveBeforeExport && panel.context.model.dirty) await panel.context.save();
          await recorder?.scan();
          const record = recorder?.record ?? (await deps.store.latest(panel.context.path));
          if (!record) throw new Error(`${panel.context.path} has no recorded session: start recording first (command "Start recording this notebook session")`);
          const folder = await exportSession(deps.contents, record, { license: settings.license || undefined });
          Notification.update({ id: progress, message: `Exported ${folder}`, type: 'success', autoClose: 8000 });
          void app.commands.execute('filebrowser:go-to-path', { path: folder }).catch(() => undefined);
          return folder;
        } catch (error) {
          Notification.dismiss(progress);
          await showErrorMessage('Could not export the session', error as Error);
          return undefined;
        }
      },
    });
    if (palette) for (const command of Object.values(RecorderCommandIDs)) palette.addItem({ command, category: 'fairio' });

    if (settingRegistry) {
      void settingRegistry
        .load(PLUGIN_ID)
        .then((s) => {
          settings = readSettings(s);
          s.changed.connect(() => (settings = readSettings(s)));
        })
        .catch(() => undefined);
    }
  },
};
