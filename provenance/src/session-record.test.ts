import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestOutputs, newSessionRecord, readSessionRecord, SESSION_RECORD_VERSION } from './session-record.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const environment = { jupyterlab: { version: '4.2.5' }, extensions: [{ name: 'jupyterlab-fairio', version: '0.1.0' }] };

describe('digestOutputs', () => {
  it('hashes images as their decoded bytes, text as UTF-8, whichever way nbformat split the lines', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const digests = digestOutputs([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'display_data', data: { 'image/png': png.toString('base64'), 'text/plain': ['<Figure>\n', 'size 1'] } },
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['line 1'] },
    ]);
    expect(digests).toEqual([
      { outputType: 'stream', name: 'stdout', mimeType: 'text/plain', sha256: sha('a\nb\n'), size: 4 },
      { outputType: 'display_data', mimeType: 'image/png', sha256: sha(png), size: png.length },
      { outputType: 'display_data', mimeType: 'text/plain', sha256: sha('<Figure>\nsize 1'), size: 15 },
      { outputType: 'error', mimeType: 'text/plain', sha256: sha('ValueError: bad\nline 1'), size: 22 },
    ]);
    // The same output as an iopub message carries it (one string) hashes the same.
    expect(digestOutputs([{ output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] }])[0].sha256).toBe(sha('a\nb\n'));
  });

  it('hashes JSON outputs by value, not by key order', () => {
    const [a] = digestOutputs([{ output_type: 'execute_result', data: { 'application/json': { b: 1, a: [1, { d: 2, c: 3 }] } } }]);
    const [b] = digestOutputs([{ output_type: 'execute_result', data: { 'application/json': { a: [1, { c: 3, d: 2 }], b: 1 } } }]);
    expect(a.sha256).toBe(b.sha256);
  });
});

describe('readSessionRecord', () => {
  const record = newSessionRecord({ id: 's1', notebook: 'work/a.ipynb', startTime: new Date('2026-01-01T12:00:00Z'), environment });

  it('reads back what was stored (JSON round trip)', () => {
    expect(readSessionRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(record.version).toBe(SESSION_RECORD_VERSION);
  });

  it('names what is wrong with a record it cannot read', () => {
    expect(() => readSessionRecord('x')).toThrow(/not a JSON object/);
    expect(() => readSessionRecord({ ...record, version: SESSION_RECORD_VERSION + 1 })).toThrow(/written by a newer recorder .*update jupyterlab-fairio/);
    expect(() => readSessionRecord({ ...record, version: undefined })).toThrow(/version undefined is not a record version/);
    expect(() => readSessionRecord({ ...record, startTime: 'yesterday' })).toThrow(/startTime "yesterday" is not a date/);
    const execution = { id: 'm1', code: '1', kernel: 'k9', startTime: record.startTime, status: 'ok', outputs: [], origin: 'notebook' };
    expect(() => readSessionRecord({ ...record, executions: [execution] })).toThrow(/executions\[0\] ran on kernel "k9", which the record does not describe/);
    expect(() => readSessionRecord({ ...record, kernels: [{ id: 'k9', name: 'python3', language: { name: 'python' } }], executions: [{ ...execution, status: 'done' }] })).toThrow(/status "done"/);
  });
});
