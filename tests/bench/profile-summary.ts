/**
 * Summarise V8 CPU profiles (`node --cpu-prof --cpu-prof-dir=DIR ...`, one
 * file per thread) by where the time goes: self time per function and per
 * source file, plus idle time, for each thread. Used to explain a benchmark
 * result: `npx tsx tests/bench/profile-summary.ts DIR [--top 15] [--json]`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadSummary {
  file: string;
  /** Wall time covered by the profile, ms. */
  totalMs: number;
  idleMs: number;
  gcMs: number;
  /** Self time per function ("name (file:line)"), ms, largest first. */
  functions: { name: string; ms: number }[];
  /** Self time per source file (node internals and wasm grouped), ms, largest first. */
  files: { file: string; ms: number }[];
  /** Busy fraction (0–1) of each whole second of the profile, in order. */
  busyPerSecond: number[];
  /** Seconds from the profile's start to the first sample inside the marker function (the pyramid's downsampling), if any. */
  markerFirstSeconds?: number;
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url;
  if (url.startsWith('wasm://')) return 'wasm';
  const clean = url.replace(/^file:\/\//, '');
  const parts = clean.split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) return parts.slice(nm + 1, nm + (parts[nm + 1]?.startsWith('@') ? 3 : 2)).join('/') + ':' + parts.slice(-1)[0];
  return path.relative(process.cwd(), clean);
}

export function summariseProfile(file: string, marker = 'downsampleBlock'): ThreadSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inMarker = new Map<number, boolean>();
  const underMarker = (id: number): boolean => {
    let known = inMarker.get(id);
    if (known === undefined) {
      const p = parent.get(id);
      known = byId.get(id)!.callFrame.functionName === marker || (p !== undefined && underMarker(p));
      inMarker.set(id, known);
    }
    return known;
  };
  const self = new Map<number, number>();
  const busy: number[] = [];
  let markerFirst: number | undefined;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    const second = Math.floor((t - profile.startTime) / 1e6);
    while (busy.length <= second) busy.push(0);
    if (byId.get(id)!.callFrame.functionName !== '(idle)') busy[second] += dt;
    if (markerFirst === undefined && underMarker(id)) markerFirst = (t - profile.startTime) / 1e6;
  }
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    if (functionName === '(garbage collector)') gc += us;
    const where = shortUrl(url);
    const name = `${functionName || '(anonymous)'} (${where}${url ? `:${lineNumber + 1}` : ''})`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    files.set(where, (files.get(where) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    file: path.basename(file),
    totalMs: (profile.endTime - profile.startTime) / 1000,
    idleMs: idle / 1000,
    gcMs: gc / 1000,
    functions: sorted(functions).map(([name, us]) => ({ name, ms: us / 1000 })),
    files: sorted(files).map(([f, us]) => ({ file: f, ms: us / 1000 })),
    busyPerSecond: busy.map((us) => Math.min(1, Math.round(us / 1e4) / 100)),
    markerFirstSeconds: markerFirst,
  };
}

export function summariseProfiles(dir: string): ThreadSummary[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => summariseProfile(path.join(dir, f)));
}

export function formatSummaries(summaries: ThreadSummary[], top = 12): string {
  const lines: string[] = [];
  for (const s of summaries) {
    const busy = s.totalMs - s.idleMs;
    lines.push(`${s.file}: ${(s.totalMs / 1000).toFixed(2)} s profiled, busy ${(busy / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s, GC ${(s.gcMs / 1000).toFixed(2)} s`);
    if (s.markerFirstSeconds !== undefined) lines.push(`  pyramid (downsampleBlock) from ${s.markerFirstSeconds.toFixed(2)} s`);
    lines.push(`  busy % per second: ${s.busyPerSecond.map((b) => Math.round(b * 100)).join(' ')}`);
    lines.push('  by file:');
    for (const f of s.files.slice(0, top)) lines.push(`    ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.file}`);
    lines.push('  by function (self time):');
    for (const f of s.functions.slice(0, top)) lines.push(`    ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.name}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('profile-summary.ts')) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: tsx tests/bench/profile-summary.ts DIR [--top N] [--json]');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 12;
  const summaries = summariseProfiles(dir);
  if (process.argv.includes('--json')) console.log(JSON.stringify(summaries, null, 2));
  else console.log(formatSummaries(summaries, top));
}
