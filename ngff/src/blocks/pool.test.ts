import { afterAll, describe, expect, it } from 'vitest';
import { FairioError } from '../errors.js';
import type { EchoTask } from './__fixtures__/echo.worker.js';
import { boundedMap } from './bounded.js';
import { WorkerPool } from './pool.js';

const echo = new URL('./__fixtures__/echo.worker.ts', import.meta.url);

describe('WorkerPool', () => {
  const pool = new WorkerPool<EchoTask, unknown>(echo, { size: 2 });
  afterAll(() => pool.close());

  it('returns results and moves transferred buffers both ways', async () => {
    const data = new Float64Array([1, 2, 3]);
    const result = (await pool.run({ kind: 'double', data }, [data.buffer])) as Float64Array;
    expect(data.buffer.byteLength).toBe(0); // moved to the worker, not copied
    expect(result).toBeInstanceOf(Float64Array);
    expect([...result]).toEqual([2, 4, 6]);
  });

  it('rejects with the message thrown in the worker', async () => {
    await expect(pool.run({ kind: 'throw', message: 'no such channel "DAPI"' })).rejects.toThrow('no such channel "DAPI"');
  });

  it('keeps the FairioError code and path', async () => {
    const error = await pool.run({ kind: 'throw-fairio', message: 'chunk is truncated' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FairioError);
    expect(error).toMatchObject({ code: 'CORRUPT_CHUNK', path: 'img.zarr/0/c/1/2', message: 'img.zarr/0/c/1/2: chunk is truncated' });
  });

  it('replaces a worker that exits or dies of an uncaught error', async () => {
    await expect(pool.run({ kind: 'exit', code: 3 })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('exit code 3') });
    await expect(pool.run({ kind: 'uncaught', message: 'late failure' })).rejects.toThrow('late failure');
    const values = await Promise.all([1, 2, 3, 4].map((value) => pool.run({ kind: 'sleep', ms: 5, value })));
    expect(values).toEqual([1, 2, 3, 4]);
  });

  it('runs tasks in parallel on at most `size` threads', async () => {
    const threads = new Set(await Promise.all(Array.from({ length: 8 }, () => pool.run({ kind: 'thread' }))));
    expect(threads.size).toBeGreaterThanOrEqual(1);
    expect(threads.size).toBeLessThanOrEqual(2);
    const t0 = performance.now();
    await Promise.all([pool.run({ kind: 'sleep', ms: 200, value: 0 }), pool.run({ kind: 'sleep', ms: 200, value: 0 })]);
    expect(performance.now() - t0).toBeLessThan(390);
  });

  it('maps in order with a bounded number of tasks in flight', async () => {
    let started = 0;
    let consumed = 0;
    let most = 0;
    const results: number[] = [];
    for await (const value of pool.map(
      Array.from({ length: 24 }, (_, i) => i),
      (i) => {
        started++;
        most = Math.max(most, started - consumed);
        return { kind: 'sleep', ms: (i * 7) % 11, value: i } as EchoTask;
      },
    )) {
      consumed++;
      results.push(value as number);
    }
    expect(results).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(most).toBeLessThanOrEqual(4); // 2 × size
    expect(most).toBeGreaterThan(1);
  });

  it('stops a map at the first error', async () => {
    const seen: unknown[] = [];
    const run = async () => {
      for await (const value of pool.map([1, 2, 3, 4, 5, 6], (i) => (i === 3 ? { kind: 'throw', message: 'bad block 3' } : { kind: 'sleep', ms: 1, value: i }) as EchoTask)) {
        seen.push(value);
      }
    };
    await expect(run()).rejects.toThrow('bad block 3');
    expect(seen).toEqual([1, 2]);
  });

  it('rejects everything once closed', async () => {
    const other = new WorkerPool<EchoTask, unknown>(echo, { size: 1 });
    const running = other.run({ kind: 'sleep', ms: 10_000, value: 1 });
    const queued = other.run({ kind: 'sleep', ms: 1, value: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.pending).toBe(2);
    const settled = Promise.all([expect(running).rejects.toThrow('closed'), expect(queued).rejects.toThrow('closed')]);
    await other.close();
    await settled;
    await expect(other.run({ kind: 'sleep', ms: 1, value: 3 })).rejects.toThrow('closed');
  });
});

describe('a worker module that does not load', () => {
  it('fails its tasks with the reason instead of restarting forever', async () => {
    const broken = new WorkerPool<EchoTask, unknown>(new URL('./__fixtures__/missing.worker.ts', import.meta.url), { size: 2 });
    try {
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((value) => broken.run({ kind: 'sleep', ms: 1, value })));
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('failed to start') });
      }
    } finally {
      await broken.close();
    }
  });
});

describe('boundedMap', () => {
  it('pulls items lazily from an async source', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    const out: number[] = [];
    for await (const v of boundedMap(source(), async (i) => i * i, 3)) {
      out.push(v);
      expect(pulled - out.length).toBeLessThanOrEqual(3);
      if (out.length === 10) break;
    }
    expect(out).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    expect(pulled).toBeLessThanOrEqual(13);
  });
});
