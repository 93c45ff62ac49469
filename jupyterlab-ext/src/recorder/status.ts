/** The status bar item: whether the current notebook is being recorded, paused, or not, and how many cells are in the record. */
import { Widget } from '@lumino/widgets';

export type RecorderState = { state: 'off' } | { state: 'recording' | 'paused'; notebook: string; executions: number };

export class RecorderStatus extends Widget {
  constructor(onClick: () => void) {
    super();
    this.addClass('jp-FairioRecorder-status');
    this.node.title = 'fairio reproducibility recorder (click to pause or resume)';
    this.node.addEventListener('click', onClick);
    this.display({ state: 'off' });
  }

  display(status: RecorderState): void {
    this.node.dataset.state = status.state;
    this.node.textContent = status.state === 'off' ? '' : `${status.state === 'recording' ? '⏺ Recording' : '⏸ Paused'} · ${status.executions} cell run${status.executions === 1 ? '' : 's'}`;
    this.setHidden(status.state === 'off');
  }
}
