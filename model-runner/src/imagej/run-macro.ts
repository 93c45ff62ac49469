/**
 * `runMacro`: a user's ImageJ macro on one or more images, through one JVM.
 * Prepares the inputs and the job in a private work folder, runs ImageJ
 * (process.ts) around the wrapper macro (wrapper.ts), decides from the
 * wrapper's status file, the watchdog's dialog report and the time limit
 * whether the macro really finished — never from ImageJ's exit status alone
 * — and only then converts what the macro saved into the output folder,
 * which appears whole or not at all.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FairioError, writeAtomically } from '@fairio/ngff';
import { fillScriptParameters, macroArgument, parseMacroArguments } from './arguments.js';
import { inputStem, parseRegion, prepareInput } from './inputs.js';
import { locateImageJ, type ImageJInstall } from './locate.js';
import { collectOutputs, type ImageOutputs } from './outputs.js';
import { runImageJ, type ImageJOutcome } from './process.js';
import { watchdogClassDir } from './watchdog.js';
import { BEGIN_MARKER, END_MARKER, readStatus, WRAPPER_MACRO, writeJob, type JobImage } from './wrapper.js';
import type { RunSettings } from '../node.js';

export interface MacroRunOptions extends RunSettings {
  /** The .ijm file. */
  macro: string;
  /** Images (TIFF, OME-TIFF, OME-Zarr), processed in turn by one ImageJ. */
  images: string[];
  /** Output folder: one subfolder per image. */
  output: string;
  /** The user's macro arguments, each `key=value` with the value verbatim (see arguments.ts). */
  args?: string[];
  /** Time limit per image, in seconds (default 600). */
  timeoutSeconds?: number;
  /** ij.jar or an ImageJ / Fiji folder (default: FIJI_HOME, then Debian's ij.jar). */
  imagej?: string;
  /** Java heap limit, e.g. '4g'. */
  memory?: string;
  /** OME-Zarr inputs: pyramid level and region (`z=10 y=0:512`). */
  level?: number;
  region?: string;
  env?: NodeJS.ProcessEnv;
}

export interface MacroImageResult extends ImageOutputs {
  input: string;
  /** When ImageJ began this image, and when its outputs were collected. */
  startTime: Date;
  endTime: Date;
}

export interface MacroRunResult {
  output: string;
  images: MacroImageResult[];
  imagej: { version: string; java: string; javaVendor: string; jar: string };
  /** The macro as read (before `#@` lines were filled in), and its sha256. */
  macroText: string;
  macroSha256: string;
  /** ImageJ's wall time: start-up plus every image. */
  imagejSeconds: number;
  warnings: string[];
}

function tail(text: string, lines = 15): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** A name for each image's output folder: the input's stem, made unique. */
function folderNames(images: string[]): string[] {
  const taken = new Set<string>();
  return images.map((image) => {
    const stem = inputStem(image).replace(/[^A-Za-z0-9._ +-]/g, '_').replace(/^\.+/, '') || 'image';
    let name = stem;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${stem}-${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

export async function runMacro(options: MacroRunOptions): Promise<MacroRunResult> {
  const env = options.env ?? process.env;
  if (options.images.length === 0) throw new FairioError('INVALID_ARGUMENT', 'imagej-macro: give at least one image');
  if (fs.existsSync(options.output) && !options.overwrite) {
    throw new FairioError('OUTPUT_EXISTS', 'already exists; choose another output or allow overwriting', { path: options.output });
  }
  const macroBytes = fs.readFileSync(options.macro);
  const macroText = macroBytes.toString('utf8');
  const macroSha256 = createHash('sha256').update(macroBytes).digest('hex');
  const parameters = parseMacroArguments(options.args);
  const region = parseRegion(options.region);
  const install: ImageJInstall = locateImageJ(options.imagej, env);
  const warnings: string[] = [];
  const watchdogDir = await watchdogClassDir(install.java, (reason) => warnings.push(reason));
  const timeoutSeconds = options.timeoutSeconds ?? 600;
  const names = folderNames(options.images);
  const total = options.images.length;

  const work = fs.realpathSync(fs.mkdtempSync(path.join(env.TMPDIR || os.tmpdir(), 'fairio-imagej-')));
  try {
    fs.mkdirSync(path.join(work, 'home'));
    const images: JobImage[] = [];
    for (let k = 0; k < total; k++) {
      options.onProgress?.(0, total, `preparing ${names[k]}`);
      const prepared = await prepareInput(options.images[k], path.join(work, 'in', String(k)), { level: options.level, region });
      // ImageJ's directories end with a separator; the wrapper compares them as strings.
      const output = `${path.join(work, 'out', String(k))}${path.sep}`;
      fs.mkdirSync(output, { recursive: true });
      const values = Object.fromEntries([['input', prepared.tiff], ['output', output], ...parameters.map((p) => [p.key, p.value])]);
      const macro = path.join(work, `macro-${k}.ijm`);
      fs.writeFileSync(macro, fillScriptParameters(macroText, values));
      images.push({ input: prepared.tiff, output, argument: macroArgument(prepared.tiff, output, parameters), macro });
    }
    const statusFile = path.join(work, 'status.txt');
    const dialogFile = path.join(work, 'dialog.txt');
    const jobFile = path.join(work, 'job.txt');
    const wrapperFile = path.join(work, 'fairio-wrapper.ijm');
    writeJob(jobFile, { status: statusFile, images });
    fs.writeFileSync(wrapperFile, WRAPPER_MACRO);

    // Each image's outputs are converted as soon as ImageJ has finished it, while ImageJ works on the next,
    // into the temporary output folder; it is renamed into place only if the whole run succeeds.
    const logs: string[] = Array.from({ length: total }, () => '');
    const results: MacroImageResult[] = [];
    const started: Date[] = [];
    let outcome: ImageJOutcome | undefined;
    let status: ReturnType<typeof readStatus> | undefined;
    await writeAtomically(
      options.output,
      async (temp) => {
        fs.mkdirSync(temp);
        let collecting: Promise<void> = Promise.resolve();
        let collectError: unknown;
        const collect = (k: number) => {
          collecting = collecting.then(async () => {
            if (collectError) return;
            try {
              const small = fs.readdirSync(images[k].output).every((f) => fs.statSync(path.join(images[k].output, f)).size < 64 * 2 ** 20);
              const collected = await collectOutputs(images[k].output, path.join(temp, names[k]), logs[k], { workers: small ? 0 : options.workers });
              const rel = (p: string) => path.join(options.output, path.relative(temp, p));
              results[k] = {
                ...collected,
                input: options.images[k],
                startTime: started[k] ?? new Date(),
                endTime: new Date(),
                folder: rel(collected.folder),
                images: collected.images.map(rel),
                tables: collected.tables.map(rel),
                files: collected.files.map(rel),
                log: rel(collected.log),
              };
              warnings.push(...collected.warnings.map((w) => `${names[k]}: ${w}`));
            } catch (error) {
              collectError = error;
            }
          });
        };
        let current = -1;
        let finished = 0;
        options.onProgress?.(0, total, 'starting ImageJ');
        outcome = await runImageJ(
          { install, watchdogDir, macro: wrapperFile, argument: jobFile, workDir: work, dialogFile, memory: options.memory },
          {
            timeoutMs: timeoutSeconds * 1000,
            restartOn: new RegExp(`^${BEGIN_MARKER.replace(/[[\]]/g, '\\$&')} `),
            onLine: (line) => {
              if (line.startsWith(`${BEGIN_MARKER} `)) {
                current = Number(line.slice(BEGIN_MARKER.length + 1));
                started[current] = new Date();
              } else if (line.startsWith(`${END_MARKER} `)) {
                const k = Number(line.slice(END_MARKER.length + 1));
                current = -1;
                if (k >= 0 && k < total) collect(k);
                options.onProgress?.(++finished, total, names[k]);
              } else if (current >= 0 && current < total) {
                logs[current] += `${line}\n`;
              }
            },
            signal: options.signal,
            env,
          },
        );
        // Conversions still running must end before the temporary folder may go.
        await collecting;
        status = readStatus(statusFile);
        throwIfFailed(outcome, status);
        if (collectError) throw collectError;
        const stdout = fs.readFileSync(outcome.stdoutFile, 'utf8');
        const stderr = fs.readFileSync(outcome.stderrFile, 'utf8');
        fs.writeFileSync(path.join(temp, 'imagej.log'), `${stdout}${stderr ? `\n--- stderr ---\n${stderr}` : ''}`);
      },
      { overwrite: options.overwrite },
    );

    /** Whether the macro really finished: the wrapper's `done`, no dialog, no time limit — never the exit status alone. */
    function throwIfFailed(run: ImageJOutcome, state: ReturnType<typeof readStatus>): void {
      const stdout = fs.readFileSync(run.stdoutFile, 'utf8');
      const stderr = fs.readFileSync(run.stderrFile, 'utf8');
      const failedAt = state.begun.find((k) => !state.ended.includes(k));
      const where = failedAt === undefined ? '' : ` on image "${names[failedAt]}" (${options.images[failedAt]})`;
      const recent = tail(`${stdout}${stderr ? `\n${stderr}` : ''}`);
      const context = recent ? `\nImageJ's last output:\n${recent}` : '';
      if (fs.existsSync(dialogFile)) {
        // ImageJ's dialog: a title, the message, a blank line, then the offending statement with <> around the error.
        const [title, ...text] = fs.readFileSync(dialogFile, 'utf8').split('\n');
        const message = text.map((l) => l.trim()).filter(Boolean).join(' — ');
        throw new FairioError('MACRO_FAILED', `the macro failed${where}: ImageJ reported "${title}": ${message}`, { path: options.macro });
      }
      if (run.aborted) throw new FairioError('MACRO_FAILED', `the run was cancelled${where}; ImageJ was stopped`, { path: options.macro });
      if (run.timedOut) {
        const hint = watchdogDir ? 'it may loop forever or be very slow' : 'it may loop forever, be very slow, or have stopped on an error dialog (without the dialog watchdog fairio cannot tell)';
        throw new FairioError('TIMEOUT', `the macro did not finish${where || ' (ImageJ was still starting)'} within the time limit of ${timeoutSeconds} s, so ImageJ was stopped; ${hint}${context}`, { path: options.macro });
      }
      if (!state.done) {
        const exit = run.signal ? `signal ${run.signal}` : `exit status ${run.exitCode}`;
        const what = state.imagej ? `before the macro finished${where}` : 'before it could run the macro (is it an ImageJ 1.x jar, and does Java start?)';
        throw new FairioError('MACRO_FAILED', `ImageJ ended (${exit}) ${what}; a macro that quits ImageJ (run("Quit"), System.exit) ends the run like this${context}`, { path: options.macro });
      }
    }

    options.onProgress?.(total, total);
    return {
      output: options.output,
      images: results,
      imagej: { ...status!.imagej!, jar: install.jar },
      macroText,
      macroSha256,
      imagejSeconds: outcome!.durationMs / 1000,
      warnings,
    };
  } finally {
    if (env.FAIRIO_KEEP_WORK !== '1') fs.rmSync(work, { recursive: true, force: true });
  }
}
