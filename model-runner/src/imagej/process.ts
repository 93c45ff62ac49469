/**
 * Starting ImageJ and making sure it stops. ImageJ runs as
 * `xvfb-run -a java … -batch wrapper.ijm job.txt` in a process group of its
 * own, spawned from an argument array (no shell ever parses anything), with
 * its output kept in files. The time limit applies to each image: every
 * "begin" line the wrapper prints restarts it. At the limit, or when the
 * caller aborts, the whole group (xvfb-run, Xvfb, the JVM) gets SIGTERM, then
 * SIGKILL, so no JVM outlives its run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import { findXvfbRun, type ImageJInstall } from './locate.js';
import { WATCHDOG_CLASS } from './watchdog.js';

export interface ImageJCommand {
  install: ImageJInstall;
  /** Folder holding the compiled watchdog class, when there is one. */
  watchdogDir?: string;
  /** The wrapper macro and its argument (the job file). */
  macro: string;
  argument: string;
  /** Private folder of this run: ImageJ's home (its preferences) and the console files live here. */
  workDir: string;
  /** Where the watchdog reports a dialog. */
  dialogFile: string;
  /** Java heap limit, e.g. '2g' (-Xmx). */
  memory?: string;
}

/** The argument vector: xvfb-run (when there is one) then java. */
export function imagejArgv(command: ImageJCommand, env: NodeJS.ProcessEnv = process.env): string[] {
  const { install, watchdogDir } = command;
  const classPath = [...(watchdogDir ? [watchdogDir] : []), install.jar, ...install.classPath].join(path.delimiter);
  const java = [
    install.java,
    ...(command.memory ? [`-Xmx${command.memory}`] : []),
    // A private home: ImageJ reads and writes its preferences there, so results do not depend on
    // what someone once set in their own ImageJ, and concurrent runs do not share a preferences file.
    `-Duser.home=${path.join(command.workDir, 'home')}`,
    `-Dfairio.dialogFile=${command.dialogFile}`,
    ...(install.pluginsDir ? [`-Dplugins.dir=${install.pluginsDir}`] : []),
    '-cp',
    classPath,
    watchdogDir ? WATCHDOG_CLASS : 'ij.ImageJ',
    '-port0',
    '-batch',
    command.macro,
    command.argument,
  ];
  const xvfbRun = findXvfbRun(env);
  if (!xvfbRun) {
    if (env.DISPLAY) return java;
    throw new FairioError('MISSING_DEPENDENCY', 'xvfb-run was not found, and there is no DISPLAY: ImageJ needs a display for run(...); install the xvfb package (scripts/setup.sh does)');
  }
  // -a picks a free display; starting the search at a random number keeps concurrent runs apart.
  const first = 100 + Math.floor(Math.random() * 30_000);
  return [xvfbRun, '-a', '-n', String(first), '-e', path.join(command.workDir, 'xvfb.log'), '-s', '-screen 0 1280x1024x24 -nolisten tcp', ...java];
}

export interface ImageJOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The time limit was reached (for the image then running). */
  timedOut: boolean;
  aborted: boolean;
  /** Paths of the files holding stdout and stderr. */
  stdoutFile: string;
  stderrFile: string;
  durationMs: number;
}

export interface RunOptions {
  /** Limit per image, in milliseconds (restarted by each "begin" line on stdout). */
  timeoutMs: number;
  /** A stdout line matching this restarts the time limit. */
  restartOn?: RegExp;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Run ImageJ to its end, its time limit, or an abort; never throws for what ImageJ did. */
export async function runImageJ(command: ImageJCommand, options: RunOptions): Promise<ImageJOutcome> {
  const env = options.env ?? process.env;
  const [file, ...args] = imagejArgv(command, env);
  const stdoutFile = path.join(command.workDir, 'stdout.txt');
  const stderrFile = path.join(command.workDir, 'stderr.txt');
  const stdout = fs.createWriteStream(stdoutFile);
  const stderr = fs.createWriteStream(stderrFile);
  const started = Date.now();
  // TMPDIR: xvfb-run's own temporary folder lands in the work folder, removed with it even when xvfb-run is killed.
  const child = spawn(file, args, { cwd: command.workDir, env: { ...env, LC_ALL: 'C.UTF-8', TMPDIR: command.workDir }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stopGroup = () => {
    if (child.pid === undefined || child.exitCode !== null || killTimer) return;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is gone already
      }
    };
    kill('SIGTERM');
    killTimer = setTimeout(() => kill('SIGKILL'), 3000);
  };
  let limit = setTimeout(() => ((timedOut = true), stopGroup()), options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    stopGroup();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.write(chunk);
    pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (options.restartOn?.test(line) && !timedOut && !aborted) {
        clearTimeout(limit);
        limit = setTimeout(() => ((timedOut = true), stopGroup()), options.timeoutMs);
      }
      options.onLine?.(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));

  const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      reject(new FairioError(code === 'ENOENT' ? 'MISSING_DEPENDENCY' : 'IO_ERROR', `cannot start ImageJ (${file}): ${error.message}`, { cause: error }));
    });
    child.once('close', (code, sig) => resolve({ exitCode: code, signal: sig }));
  }).finally(() => {
    clearTimeout(limit);
    options.signal?.removeEventListener('abort', onAbort);
  });
  clearTimeout(killTimer);
  // xvfb-run signals Xvfb as it exits without waiting for it: end whatever is left of the group
  // (SIGTERM first, so Xvfb removes its lock file).
  if (child.pid !== undefined) {
    const pid = child.pid;
    const signalGroup = (sig: NodeJS.Signals | 0): boolean => {
      try {
        process.kill(-pid, sig);
        return true;
      } catch {
        return false;
      }
    };
    if (signalGroup(0) && signalGroup('SIGTERM')) setTimeout(() => signalGroup('SIGKILL'), 2000).unref();
  }
  await Promise.all([new Promise((r) => stdout.end(r)), new Promise((r) => stderr.end(r))]);
  return { exitCode, signal, timedOut, aborted, stdoutFile, stderrFile, durationMs: Date.now() - started };
}
