/**
 * The messages between a `WorkerPool` and its workers, and how an error
 * crosses the thread boundary with its message, name and FairioError code.
 */
import { FairioError, type FairioErrorCode } from '../errors.js';

export interface TaskMessage<In> {
  id: number;
  task: In;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Set when the error was a FairioError: rebuilt as one on the other side. */
  fairio?: { code: FairioErrorCode; path?: string };
  /** A Node-style `code` of other errors (ENOENT, ERR_...). */
  code?: string;
}

export type ResultMessage<Out> = { id: number; ok: true; value: Out } | { id: number; ok: false; error: SerializedError };

/** Sent once by a worker when its module has loaded and it serves tasks. */
export interface ReadyMessage {
  ready: true;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof FairioError) out.fairio = { code: error.code, path: error.path };
  else if (typeof (error as { code?: unknown }).code === 'string') out.code = (error as unknown as { code: string }).code;
  return out;
}

export function reviveError(e: SerializedError): Error {
  let error: Error;
  if (e.fairio) {
    const { code, path } = e.fairio;
    // FairioError puts the path in front of the message; do not put it twice.
    const message = path && e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message;
    error = new FairioError(code, message, { path });
  } else {
    error = new Error(e.message);
    if (e.code) (error as Error & { code: string }).code = e.code;
  }
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
