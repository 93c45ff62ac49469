/**
 * The viewer's "Analyse" section (in its side column): the kind of tool, its
 * path in the Jupyter file tree, the channel fed to it, the region (what is
 * in view, or the whole plane), Run and Cancel, progress (tiles done / total)
 * and a message line; once a result exists, its overlay controls (shown,
 * opacity, colormap, output channel). For tests the node carries
 * `data-state` (idle / preparing / running / writing / done / failed /
 * cancelled), `data-runs` (runs started), `data-progress` ("done/total") and
 * `data-folder` (the last run's folder).
 */
import { el } from '../dom.js';
import type { AnalysisState } from './controller.js';
import { COLORMAPS, isColormap, type Colormap } from './overlay.js';
import type { AnalysisKind, AnalysisOutput, AnalysisProgress } from './runner.js';

export interface OverlayDisplay {
  visible: boolean;
  opacity: number;
  colormap: Colormap;
  channel: number;
}

export interface PanelHandlers {
  onRun(scope: 'visible' | 'image'): void;
  onCancel(): void;
  onOverlay(display: OverlayDisplay): void;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = el('label', 'jp-FairioAnalysis-field');
  label.append(el('span', undefined, text), control);
  return label;
}

export class AnalysisPanel {
  readonly node = el('div', 'jp-FairioAnalysis');
  private readonly kind = el('select', 'jp-mod-styled jp-FairioAnalysis-kind');
  private readonly pathInput = el('input', 'jp-mod-styled jp-FairioAnalysis-path');
  private readonly channel = el('select', 'jp-mod-styled jp-FairioAnalysis-channel');
  private readonly scopeSelect = el('select', 'jp-mod-styled jp-FairioAnalysis-scope');
  private readonly runButton = el('button', 'jp-mod-styled jp-mod-accept jp-FairioAnalysis-run', 'Run');
  private readonly cancelButton = el('button', 'jp-mod-styled jp-FairioAnalysis-cancel', 'Cancel');
  private readonly progress = el('progress', 'jp-FairioAnalysis-progress');
  private readonly progressText = el('span', 'jp-FairioAnalysis-progressText');
  private readonly message = el('div', 'jp-FairioAnalysis-message');
  private readonly overlayRow = el('div', 'jp-FairioAnalysis-overlay');
  private readonly shown = el('input', 'jp-FairioAnalysis-shown');
  private readonly opacity = el('input', 'jp-FairioAnalysis-opacity');
  private readonly colormap = el('select', 'jp-mod-styled jp-FairioAnalysis-colormap');
  private readonly outputChannel = el('select', 'jp-mod-styled jp-FairioAnalysis-outputChannel');

  constructor(private readonly kinds: AnalysisKind[], channelNames: string[], private readonly handlers: PanelHandlers) {
    this.node.dataset.state = 'idle';
    for (const k of kinds) this.kind.append(new Option(k.label, k.id));
    this.kind.addEventListener('change', () => (this.pathInput.placeholder = this.selectedKind.pathHint));
    this.pathInput.type = 'text';
    this.pathInput.placeholder = kinds[0]?.pathHint ?? '';
    this.pathInput.setAttribute('aria-label', 'Model or classifier path');
    this.channel.append(new Option('as the tool takes them', ''));
    channelNames.forEach((name, i) => this.channel.append(new Option(`${i}: ${name}`, String(i))));
    if (channelNames.length > 1) this.channel.value = '0';
    this.scopeSelect.append(new Option('visible region', 'visible'), new Option('whole plane', 'image'));
    this.runButton.type = 'button';
    this.cancelButton.type = 'button';
    this.cancelButton.disabled = true;
    this.runButton.addEventListener('click', () => handlers.onRun(this.scope));
    this.cancelButton.addEventListener('click', () => handlers.onCancel());
    this.progress.max = 1;
    this.progress.value = 0;
    this.progress.hidden = true;
    this.message.setAttribute('role', 'status');
    this.shown.type = 'checkbox';
    this.shown.checked = true;
    this.shown.title = 'Show the result over the image';
    this.opacity.type = 'range';
    this.opacity.min = '0';
    this.opacity.max = '1';
    this.opacity.step = '0.05';
    this.opacity.title = 'Opacity';
    for (const c of COLORMAPS) this.colormap.append(new Option(c, c));
    for (const control of [this.shown, this.opacity, this.colormap, this.outputChannel]) control.addEventListener(control === this.opacity ? 'input' : 'change', () => this.handlers.onOverlay(this.display));
    const overlayLine = el('div', 'jp-FairioViewer-line');
    overlayLine.append(this.shown, el('span', 'jp-FairioViewer-channelName', 'result'), this.opacity);
    this.overlayRow.append(overlayLine, labelled('Colormap', this.colormap), labelled('Output', this.outputChannel));
    this.overlayRow.hidden = true;
    const buttons = el('div', 'jp-FairioViewer-line');
    buttons.append(this.runButton, this.cancelButton, this.progress, this.progressText);
    this.node.append(
      el('div', 'jp-FairioViewer-heading', 'Analyse'),
      labelled('Tool', this.kind),
      labelled('Path', this.pathInput),
      labelled('Channel', this.channel),
      labelled('Region', this.scopeSelect),
      buttons,
      this.message,
      this.overlayRow,
    );
  }

  get selectedKind(): AnalysisKind {
    return this.kinds.find((k) => k.id === this.kind.value) ?? this.kinds[0];
  }
  set selectedKindId(id: string) {
    if (this.kinds.some((k) => k.id === id)) this.kind.value = id;
  }
  get path(): string {
    return this.pathInput.value.trim();
  }
  set path(value: string) {
    this.pathInput.value = value;
  }
  get scope(): 'visible' | 'image' {
    return this.scopeSelect.value === 'image' ? 'image' : 'visible';
  }
  set scope(value: 'visible' | 'image') {
    this.scopeSelect.value = value;
  }
  /** The chosen channels ([] = as the tool takes them). */
  get channels(): number[] {
    return this.channel.value === '' ? [] : [Number(this.channel.value)];
  }
  set channels(value: number[]) {
    this.channel.value = value.length === 1 ? String(value[0]) : '';
  }

  get display(): OverlayDisplay {
    return { visible: this.shown.checked, opacity: Number(this.opacity.value), colormap: isColormap(this.colormap.value) ? this.colormap.value : 'magma', channel: Number(this.outputChannel.value || 0) };
  }

  private runs = 0;

  setState(state: AnalysisState, message: string): void {
    if (state === 'preparing') this.node.dataset.runs = String(++this.runs);
    this.node.dataset.state = state;
    const busy = state === 'preparing' || state === 'running' || state === 'writing';
    this.runButton.disabled = busy;
    this.cancelButton.disabled = !busy || state === 'writing';
    this.progress.hidden = !busy;
    if (!busy) this.progressText.textContent = '';
    this.message.textContent = message;
    this.message.classList.toggle('jp-mod-error', state === 'failed');
  }

  setProgress(p: AnalysisProgress): void {
    this.progress.max = Math.max(1, p.total);
    this.progress.value = p.done;
    this.node.dataset.progress = `${p.done}/${p.total}`;
    this.progressText.textContent = p.phase === 'tiles' ? `tiles ${p.done}/${p.total}` : p.phase === 'writing' ? `writing ${p.done}/${p.total}` : `${p.phase}…`;
  }

  setFolder(folder: string): void {
    this.node.dataset.folder = folder;
  }

  /** Overlay controls for a new result, with the display it starts with. */
  showResult(output: AnalysisOutput, display: OverlayDisplay): void {
    this.outputChannel.replaceChildren(...Array.from({ length: output.channels }, (_, i) => new Option(output.channelNames?.[i] ?? `channel ${i}`, String(i))));
    this.outputChannel.parentElement!.hidden = output.channels < 2;
    this.colormap.parentElement!.hidden = output.kind === 'labels';
    this.setDisplay(display);
    this.overlayRow.hidden = false;
  }

  setDisplay(display: OverlayDisplay): void {
    this.shown.checked = display.visible;
    this.opacity.value = String(display.opacity);
    this.colormap.value = display.colormap;
    this.outputChannel.value = String(display.channel);
  }
}
