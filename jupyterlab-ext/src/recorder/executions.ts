/**
 * Cell executions from the kernel's messages. The recorder sees every message
 * of its notebook's kernel connection: the execute_requests this page sends
 * (with the notebook cell's id in their metadata) and everything the kernel
 * broadcasts on iopub (execute_input, outputs, status) for every client, so
 * code run from another client of the same kernel is recorded too. Replies
 * (shell) reach only the client that asked; for other clients' code the end
 * is the kernel going idle. Pure bookkeeping over a `SessionRecord`: no
 * JupyterLab objects, so it is tested with plain messages.
 */
import { digestOutputs, type CellExecution, type SessionRecord } from '@fairio/provenance/browser';

/** The parts of a Jupyter message (`KernelMessage.IMessage`) the recorder reads. */
export interface JupyterMessage {
  channel?: string;
  header: { msg_id: string; msg_type: string; date?: string };
  parent_header: { msg_id?: string };
  metadata?: Record<string, unknown>;
  content: Record<string, unknown>;
}

const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error', 'update_display_data']);

/** The kernel's date on a message (ISO 8601, microseconds dropped), or now. */
function dateOf(message: JupyterMessage): string {
  const parsed = message.header.date ? Date.parse(message.header.date) : Number.NaN;
  return new Date(Number.isNaN(parsed) ? Date.now() : parsed).toISOString();
}

export class ExecutionTracker {
  /** execute_requests this page sent, by msg_id. */
  private readonly sent = new Map<string, { cellId?: string; code: string }>();
  /** Executions whose outputs a `clear_output(wait=True)` clears when the next output arrives. */
  private readonly clearOnNext = new Set<string>();
  /** The recorder's own silent requests (package listing) and anything else not to record. */
  private readonly ignored = new Set<string>();
  /** When paused, new executions are not recorded (ones already running still finish). */
  paused = false;

  constructor(
    private readonly record: SessionRecord,
    private readonly kernelId: () => string | undefined,
    private readonly changed: () => void,
  ) {}

  ignore(msgId: string): void {
    this.ignored.add(msgId);
  }

  private find(id: string | undefined): CellExecution | undefined {
    if (!id) return undefined;
    for (let i = this.record.executions.length - 1; i >= 0; i--) if (this.record.executions[i].id === id) return this.record.executions[i];
    return undefined;
  }

  private start(id: string, code: string, executionCount: number | undefined, time: string): CellExecution | undefined {
    const kernel = this.kernelId();
    if (this.paused || !kernel) return undefined;
    const request = this.sent.get(id);
    const execution: CellExecution = {
      id,
      ...(request?.cellId ? { cellId: request.cellId } : {}),
      code,
      kernel,
      ...(executionCount !== undefined ? { executionCount } : {}),
      startTime: time,
      status: 'running',
      outputs: [],
      origin: request ? 'notebook' : 'other-client',
    };
    this.record.executions.push(execution);
    return execution;
  }

  /** A message this page sent to the kernel. */
  sentMessage(message: JupyterMessage): void {
    if (message.header.msg_type !== 'execute_request') return;
    if (message.content.silent) this.ignored.add(message.header.msg_id);
    else this.sent.set(message.header.msg_id, { cellId: message.metadata?.cellId as string | undefined, code: String(message.content.code ?? '') });
  }

  /** A message from the kernel (iopub, or shell replies to this page). */
  receivedMessage(message: JupyterMessage): void {
    const parent = message.parent_header?.msg_id;
    if (!parent || this.ignored.has(parent)) return;
    const type = message.header.msg_type;
    const content = message.content;
    let execution = this.find(parent);
    if (type === 'execute_input') {
      if (execution) return;
      if (this.start(parent, String(content.code ?? ''), content.execution_count as number | undefined, dateOf(message))) this.changed();
      return;
    }
    if (type === 'execute_reply') {
      // An aborted request (an earlier cell failed) never had an execute_input.
      if (!execution && this.sent.has(parent)) execution = this.start(parent, this.sent.get(parent)!.code, undefined, dateOf(message));
      if (!execution) return;
      const status = content.status as string;
      execution.status = status === 'ok' ? 'ok' : status === 'aborted' ? 'aborted' : 'error';
      if (typeof content.execution_count === 'number') execution.executionCount = content.execution_count;
      if (status === 'error') execution.error = { name: String(content.ename ?? 'Error'), value: String(content.evalue ?? ''), ...(Array.isArray(content.traceback) ? { traceback: content.traceback as string[] } : {}) };
      execution.endTime ??= dateOf(message);
      this.sent.delete(parent);
      this.changed();
      return;
    }
    if (!execution) return;
    if (OUTPUT_TYPES.has(type)) {
      if (this.clearOnNext.delete(parent)) execution.outputs = [];
      execution.outputs.push(...digestOutputs([{ output_type: type, ...content }]));
      if (type === 'error') execution.error = { name: String(content.ename ?? 'Error'), value: String(content.evalue ?? '') };
      this.changed();
    } else if (type === 'clear_output') {
      if (content.wait) this.clearOnNext.add(parent);
      else execution.outputs = [];
      this.changed();
    } else if (type === 'status' && content.execution_state === 'idle') {
      execution.endTime ??= dateOf(message);
      // Other clients' code: no reply reaches this page; an error output is the only sign of failure.
      if (execution.status === 'running' && !this.sent.has(parent)) execution.status = execution.error ? 'error' : 'ok';
      this.changed();
    }
  }

  /** Where the cell that ran is in the notebook (from NotebookActions.executed). */
  placeCell(cellId: string, cellIndex: number): CellExecution | undefined {
    for (let i = this.record.executions.length - 1; i >= 0; i--) {
      const e = this.record.executions[i];
      if (e.cellId === cellId) {
        if (e.cellIndex !== cellIndex) {
          e.cellIndex = cellIndex;
          this.changed();
        }
        return e;
      }
    }
    return undefined;
  }
}
