/**
 * Where recordings live while they record: the browser's IndexedDB, written
 * after every change, so that a reload or a crash of the page loses nothing
 * (a record left unfinished is resumed when its notebook opens again).
 * Records are read back through `readSessionRecord`, which upgrades those an
 * older recorder stored.
 */
import { readSessionRecord, type SessionRecord } from '@fairio/provenance/browser';

const DATABASE = 'jupyterlab-fairio-recorder';
const SESSIONS = 'sessions';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export class RecordStore {
  private db?: Promise<IDBDatabase>;
  /** Per record: the write in flight and whether another change came in meanwhile. */
  private readonly writing = new Map<string, { running: Promise<void>; again: boolean }>();

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(DATABASE, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(SESSIONS, { keyPath: 'id' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('cannot open IndexedDB'));
    });
    return this.db;
  }

  private async put(record: SessionRecord): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(SESSIONS, 'readwrite');
    // A structured clone of the record as it is now (later changes go in the next write).
    tx.objectStore(SESSIONS).put(JSON.parse(JSON.stringify(record)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  }

  /** Store the record now; changes made while a write runs are written right after it (never dropped, never out of order). */
  save(record: SessionRecord): Promise<void> {
    const current = this.writing.get(record.id);
    if (current) {
      current.again = true;
      return current.running;
    }
    const state = { running: Promise.resolve(), again: false };
    state.running = (async () => {
      try {
        do {
          state.again = false;
          await this.put(record);
        } while (state.again);
      } finally {
        this.writing.delete(record.id);
      }
    })();
    this.writing.set(record.id, state);
    return state.running;
  }

  /** Every stored record, upgraded; records that cannot be read are reported, not thrown. */
  async all(): Promise<{ records: SessionRecord[]; unreadable: string[] }> {
    const db = await this.open();
    const stored = await request(db.transaction(SESSIONS, 'readonly').objectStore(SESSIONS).getAll());
    const records: SessionRecord[] = [];
    const unreadable: string[] = [];
    for (const s of stored) {
      try {
        records.push(readSessionRecord(s));
      } catch (error) {
        unreadable.push(`${(s as { id?: string }).id ?? '?'}: ${(error as Error).message}`);
      }
    }
    return { records, unreadable };
  }

  /** The newest record of a notebook (recording or not). */
  async latest(notebook: string): Promise<SessionRecord | undefined> {
    const { records } = await this.all();
    return records.filter((r) => r.notebook.path === notebook).sort((a, b) => (a.startTime < b.startTime ? 1 : -1))[0];
  }
}
