import { newSessionRecord, readSessionRecord } from '@fairio/provenance/browser';
import { describe, expect, it } from 'vitest';
import { ExecutionTracker, type JupyterMessage } from './executions.js';

let n = 0;
const msg = (type: string, parent: string, content: Record<string, unknown>, second = 0, metadata: Record<string, unknown> = {}): JupyterMessage => ({
  header: { msg_id: `m${++n}`, msg_type: type, date: `2026-01-01T12:00:${String(second).padStart(2, '0')}.123456Z` },
  parent_header: { msg_id: parent },
  metadata,
  content,
});

function setup() {
  const record = newSessionRecord({ id: 's', notebook: 'a.ipynb', startTime: new Date('2026-01-01T12:00:00Z'), environment: { jupyterlab: { version: '4.6.6' }, extensions: [] } });
  record.kernels.push({ id: 'k1', name: 'python3', language: { name: 'python' } });
  let changes = 0;
  const tracker = new ExecutionTracker(record, () => 'k1', () => changes++);
  return { record, tracker, changes: () => changes };
}

describe('ExecutionTracker', () => {
  it('records a cell this page ran: code, cell, count, kernel times, outputs, status', () => {
    const { record, tracker, changes } = setup();
    tracker.sentMessage({ header: { msg_id: 'r1', msg_type: 'execute_request' }, parent_header: {}, metadata: { cellId: 'cell-a' }, content: { code: 'print(1)', silent: false } });
    tracker.receivedMessage(msg('status', 'r1', { execution_state: 'busy' }, 1));
    tracker.receivedMessage(msg('execute_input', 'r1', { code: 'print(1)', execution_count: 1 }, 1));
    tracker.receivedMessage(msg('stream', 'r1', { name: 'stdout', text: '1\n' }, 2));
    tracker.receivedMessage(msg('execute_reply', 'r1', { status: 'ok', execution_count: 1 }, 3));
    tracker.receivedMessage(msg('status', 'r1', { execution_state: 'idle' }, 4));
    tracker.placeCell('cell-a', 0);
    expect(record.executions).toEqual([
      {
        id: 'r1',
        cellId: 'cell-a',
        cellIndex: 0,
        code: 'print(1)',
        kernel: 'k1',
        executionCount: 1,
        startTime: '2026-01-01T12:00:01.123Z',
        endTime: '2026-01-01T12:00:03.123Z',
        status: 'ok',
        outputs: [{ outputType: 'stream', name: 'stdout', mimeType: 'text/plain', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 2 }],
        origin: 'notebook',
      },
    ]);
    expect(changes()).toBeGreaterThan(0);
    expect(() => readSessionRecord(JSON.parse(JSON.stringify(record)))).not.toThrow();
  });

  it('records code another client ran on the kernel (iopub only), failed or not', () => {
    const { record, tracker } = setup();
    tracker.receivedMessage(msg('execute_input', 'x1', { code: '1/0', execution_count: 7 }, 5));
    tracker.receivedMessage(msg('error', 'x1', { ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: [] }, 5));
    tracker.receivedMessage(msg('status', 'x1', { execution_state: 'idle' }, 6));
    tracker.receivedMessage(msg('execute_input', 'x2', { code: 'x = 2', execution_count: 8 }, 7));
    tracker.receivedMessage(msg('status', 'x2', { execution_state: 'idle' }, 8));
    expect(record.executions.map((e) => [e.code, e.origin, e.status, e.error?.name, e.endTime])).toEqual([
      ['1/0', 'other-client', 'error', 'ZeroDivisionError', '2026-01-01T12:00:06.123Z'],
      ['x = 2', 'other-client', 'ok', undefined, '2026-01-01T12:00:08.123Z'],
    ]);
  });

  it('records aborted cells, skips silent requests and what runs while paused, and clears outputs as the kernel says', () => {
    const { record, tracker } = setup();
    tracker.sentMessage({ header: { msg_id: 'r2', msg_type: 'execute_request' }, parent_header: {}, metadata: { cellId: 'cell-b' }, content: { code: 'after_error()' } });
    tracker.receivedMessage(msg('execute_reply', 'r2', { status: 'aborted' }, 9));
    tracker.sentMessage({ header: { msg_id: 'q', msg_type: 'execute_request' }, parent_header: {}, content: { code: '', silent: true } });
    tracker.receivedMessage(msg('execute_input', 'q', { code: '' }, 9));
    tracker.receivedMessage(msg('execute_input', 'r3', { code: 'for i in range(3): clear_output(wait=True); print(i)', execution_count: 2 }, 10));
    for (const i of [0, 1, 2]) {
      tracker.receivedMessage(msg('clear_output', 'r3', { wait: true }, 10));
      tracker.receivedMessage(msg('stream', 'r3', { name: 'stdout', text: `${i}\n` }, 10));
    }
    tracker.paused = true;
    tracker.receivedMessage(msg('execute_input', 'r4', { code: 'secret = 1', execution_count: 3 }, 11));
    expect(record.executions.map((e) => [e.id, e.status, e.cellId, e.outputs.length])).toEqual([
      ['r2', 'aborted', 'cell-b', 0],
      ['r3', 'running', undefined, 1],
    ]);
  });
});
