/**
 * The wrapper macro around the user's macro, and the job file it reads. One
 * JVM works through every image of a job (ImageJ's start-up dominates small
 * jobs). For each image the wrapper
 * 1. opens it, so it is the current image when the user's macro starts (as in
 *    Fiji's batch processing);
 * 2. runs the user's macro with `runMacro(file, argument)`;
 * 3. saves, as TIFF in the image's output folder, every image still open
 *    that the macro created or changed unless the macro saved it there
 *    itself, and the Results table as `results.csv` unless a file of that
 *    name exists;
 * 4. closes everything and clears the Results table for the next image.
 * It reports progress in a status file (`begin`, `saved`, `end`, and `done`
 * as its last act: without `done`, the run failed whatever ImageJ's exit
 * status says) and prints a marker line to stdout before each image, which
 * splits the console into one log per image and restarts the time limit.
 *
 * The job file is tab-separated, one record per line; paths and arguments
 * travel in it, never on a command line.
 */
import * as fs from 'node:fs';

/** Printed (with the image index) when the wrapper starts an image. */
export const BEGIN_MARKER = '[fairio] begin image';
export const END_MARKER = '[fairio] end image';

export const WRAPPER_MACRO = `// fairio: runs a user's macro on each image of a job (generated; see model-runner/src/imagej/wrapper.ts)
var status = "";
job = File.openAsString(getArgument());
// The macro language's && does not short-circuit: hence the nested ifs below.
lines = split(job, "(\\n)");
for (l = 0; l < lines.length; l++) {
  f = split(lines[l], "(\\t)");
  if (f.length > 1) { if (f[0] == "status") status = f[1]; }
}
File.append("imagej\\t" + getVersion() + "\\t" + getInfo("java.version") + "\\t" + getInfo("java.vendor"), status);
for (l = 0; l < lines.length; l++) {
  f = split(lines[l], "(\\t)");
  if (f.length > 5) { if (f[0] == "image") runOne(f[1], f[2], f[3], f[4], f[5]); }
}
File.append("done", status);

function runOne(index, input, output, argument, userMacro) {
  print("${BEGIN_MARKER} " + index);
  File.append("begin\\t" + index, status);
  open(input);
  inputID = getImageID();
  runMacro(userMacro, argument);
  n = nImages;
  ids = newArray(n);
  for (k = 0; k < n; k++) {
    selectImage(k + 1);
    ids[k] = getImageID();
  }
  for (k = 0; k < n; k++) {
    selectImage(ids[k]);
    keep = is("changes");
    if (ids[k] != inputID) { if (getInfo("image.directory") != output) keep = true; }
    if (keep) {
      name = safeName(getTitle());
      target = output + name + ".tif";
      for (m = 2; File.exists(target); m++) target = output + name + "-" + m + ".tif";
      saveAs("Tiff", target);
      File.append("saved\\t" + index + "\\t" + target, status);
    }
  }
  if (nResults > 0 && !File.exists(output + "results.csv")) saveAs("Results", output + "results.csv");
  close("*");
  run("Clear Results");
  File.append("end\\t" + index, status);
  print("${END_MARKER} " + index);
}

function safeName(title) {
  name = replace(title, "[^A-Za-z0-9._ +-]", "_");
  lower = toLowerCase(name);
  if (endsWith(lower, ".tif")) name = substring(name, 0, lengthOf(name) - 4);
  else if (endsWith(lower, ".tiff")) name = substring(name, 0, lengthOf(name) - 5);
  while (startsWith(name, ".")) name = substring(name, 1);
  if (name == "") name = "image";
  return name;
}
`;

export interface JobImage {
  /** The TIFF ImageJ opens. */
  input: string;
  /** The folder the macro writes into (ends with a separator: ImageJ's directories do). */
  output: string;
  /** `getArgument()` of the user's macro. */
  argument: string;
  /** The user's macro, script parameters filled in. */
  macro: string;
}

export function writeJob(file: string, job: { status: string; images: JobImage[] }): void {
  const fields = [job.status, ...job.images.flatMap((i) => [i.input, i.output, i.argument, i.macro])];
  if (fields.some((f) => /[\t\r\n]/.test(f))) throw new Error('a job field contains a tab or line break'); // callers sanitise first
  const lines = ['fairio-imagej-job\t1', `status\t${job.status}`, ...job.images.map((i, k) => `image\t${k}\t${i.input}\t${i.output}\t${i.argument}\t${i.macro}`)];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

export interface JobStatus {
  imagej?: { version: string; java: string; javaVendor: string };
  begun: number[];
  ended: number[];
  /** TIFFs the wrapper saved for the macro, by image index. */
  saved: Map<number, string[]>;
  done: boolean;
}

export function readStatus(file: string): JobStatus {
  const status: JobStatus = { begun: [], ended: [], saved: new Map(), done: false };
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'imagej') status.imagej = { version: f[1] ?? '', java: f[2] ?? '', javaVendor: f[3] ?? '' };
    else if (f[0] === 'begin') status.begun.push(Number(f[1]));
    else if (f[0] === 'end') status.ended.push(Number(f[1]));
    else if (f[0] === 'saved') status.saved.set(Number(f[1]), [...(status.saved.get(Number(f[1])) ?? []), f.slice(2).join('\t')]);
    else if (f[0] === 'done') status.done = true;
  }
  return status;
}
