/**
 * The viewer's controls: a toolbar (fit, auto-contrast, z and t sliders) and
 * a side column with one row per channel (visible, colour, contrast window,
 * auto) and per label image (visible, opacity). Controls edit the layer's
 * display settings in place and tell the viewer what changed.
 */
import type { Layer } from './layer.js';
import { toHex, parseColor } from './render.js';
import type { LabelLayerState } from './viewer.js';
import { el } from '../dom.js';

export interface ControlHandlers {
  onChange(): void;
  onPlane(axis: 'z' | 't', value: number): void;
  /** One channel, or every visible one. */
  onAutoContrast(channel?: number): void;
  onFit(): void;
}

/** Window bounds as short as they can be while still meaningful (integers stay whole). */
function formatWindow(v: number): string {
  return String(Math.abs(v) >= 100 ? Math.round(v) : +v.toPrecision(3));
}

function button(text: string, title: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', `jp-mod-styled ${className}`, text);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

export class ViewerControls {
  readonly toolbar = el('div', 'jp-FairioViewer-toolbar');
  readonly node = el('div', 'jp-FairioViewer-controls');
  private readonly sliders = new Map<'z' | 't', { input: HTMLInputElement; text: HTMLElement; size: number }>();
  private readonly windowInputs: { min: HTMLInputElement; max: HTMLInputElement }[] = [];
  private image: Layer | undefined;

  constructor(private readonly handlers: ControlHandlers) {
    this.toolbar.append(
      button('Fit', 'Show the whole image', 'jp-FairioViewer-fit', () => handlers.onFit()),
      button('Auto contrast', 'Contrast of every visible channel from the pixels in view', 'jp-FairioViewer-auto', () => handlers.onAutoContrast()),
    );
  }

  build(image: Layer, labels: LabelLayerState[], z: number, t: number): void {
    this.image = image;
    for (const [axis, size, value] of [['z', image.sizeZ, z], ['t', image.sizeT, t]] as const) {
      if (size <= 1) continue;
      const box = el('label', `jp-FairioViewer-slider jp-FairioViewer-${axis}`);
      const input = el('input');
      input.type = 'range';
      input.min = '0';
      input.max = String(size - 1);
      input.step = '1';
      input.value = String(value);
      input.setAttribute('aria-label', axis);
      const text = el('span', 'jp-FairioViewer-sliderText');
      input.addEventListener('input', () => this.handlers.onPlane(axis, Number(input.value)));
      box.append(el('span', undefined, axis), input, text);
      this.toolbar.append(box);
      this.sliders.set(axis, { input, text, size });
      this.setPlane(axis, value);
    }

    this.node.append(el('div', 'jp-FairioViewer-heading', 'Channels'));
    image.channels.forEach((channel, c) => {
      const row = el('div', 'jp-FairioViewer-channel');
      row.dataset.channel = String(c);
      const visible = el('input', 'jp-FairioViewer-visible');
      visible.type = 'checkbox';
      visible.checked = channel.visible;
      visible.title = 'Show this channel';
      visible.addEventListener('change', () => {
        channel.visible = visible.checked;
        this.handlers.onChange();
      });
      const color = el('input', 'jp-FairioViewer-color');
      color.type = 'color';
      color.value = toHex(channel.color);
      color.title = 'Colour';
      color.addEventListener('input', () => {
        channel.color = parseColor(color.value);
        this.handlers.onChange();
      });
      const name = el('span', 'jp-FairioViewer-channelName', channel.label);
      const min = this.numberInput('jp-FairioViewer-min', channel.min, 'Black at', (v) => (channel.min = v));
      const max = this.numberInput('jp-FairioViewer-max', channel.max, 'Full colour at', (v) => (channel.max = v));
      this.windowInputs.push({ min, max });
      const auto = button('auto', 'Contrast from the pixels in view', 'jp-FairioViewer-channelAuto', () => this.handlers.onAutoContrast(c));
      const line1 = el('div', 'jp-FairioViewer-line');
      line1.append(visible, color, name);
      const line2 = el('div', 'jp-FairioViewer-line');
      line2.append(min, el('span', undefined, '–'), max, auto);
      row.append(line1, line2);
      this.node.append(row);
    });

    if (labels.length) this.node.append(el('div', 'jp-FairioViewer-heading', 'Labels'));
    for (const label of labels) {
      const row = el('div', 'jp-FairioViewer-label');
      row.dataset.label = label.name;
      const visible = el('input', 'jp-FairioViewer-visible');
      visible.type = 'checkbox';
      visible.checked = label.visible;
      visible.addEventListener('change', () => {
        label.visible = visible.checked;
        this.handlers.onChange();
      });
      const opacity = el('input', 'jp-FairioViewer-opacity');
      opacity.type = 'range';
      opacity.min = '0';
      opacity.max = '1';
      opacity.step = '0.05';
      opacity.value = String(label.opacity);
      opacity.title = 'Opacity';
      opacity.addEventListener('input', () => {
        label.opacity = Number(opacity.value);
        this.handlers.onChange();
      });
      const line = el('div', 'jp-FairioViewer-line');
      line.append(visible, el('span', 'jp-FairioViewer-channelName', label.name), opacity);
      row.append(line);
      this.node.append(row);
    }
  }

  private numberInput(className: string, value: number, title: string, set: (v: number) => void): HTMLInputElement {
    const input = el('input', `jp-mod-styled ${className}`);
    input.type = 'number';
    input.value = formatWindow(value);
    input.title = title;
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (!Number.isFinite(v)) return;
      set(v);
      this.handlers.onChange();
    });
    return input;
  }

  /** Show the layer's current contrast windows (after auto-contrast). */
  refresh(): void {
    this.image?.channels.forEach((channel, c) => {
      const inputs = this.windowInputs[c];
      if (!inputs) return;
      inputs.min.value = formatWindow(channel.min);
      inputs.max.value = formatWindow(channel.max);
    });
  }

  setPlane(axis: 'z' | 't', value: number): void {
    const slider = this.sliders.get(axis);
    if (!slider) return;
    slider.input.value = String(value);
    slider.text.textContent = `${value + 1}/${slider.size}`;
  }
}
