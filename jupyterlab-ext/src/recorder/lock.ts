/**
 * One recorder per record across the browser's tabs: a notebook open in two
 * tabs of one browser shares the stored record, and two tabs writing it would
 * overwrite each other's changes. The tab that holds the record's Web Lock
 * records; another tab leaves it alone (its executions still reach the
 * recording tab through the kernel's iopub, as another client's).
 */

/** Hold the lock named for `recordId` until `release` is called; false when another tab holds it. Without Web Locks (old browsers), always true. */
export async function holdRecordLock(recordId: string): Promise<{ held: boolean; release: () => void }> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return { held: true, release: () => undefined };
  let release: () => void = () => undefined;
  const held = await new Promise<boolean>((resolve) => {
    void locks.request(`jupyterlab-fairio-recorder:${recordId}`, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve(false);
        return undefined;
      }
      resolve(true);
      return new Promise<void>((done) => (release = done));
    });
  });
  return { held, release: () => release() };
}
