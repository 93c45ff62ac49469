/**
 * Which ImageJ runs a macro: the `imagej` parameter (`--imagej PATH`), else
 * `FIJI_HOME`, else the Debian `imagej` package's `/usr/share/java/ij.jar`
 * (installed by the setup script). A path may name an `ij.jar` (any ImageJ
 * 1.x jar, e.g. `net.imagej:ij` from Maven Central) or an ImageJ / Fiji
 * folder; for a Fiji folder its `jars/ij-*.jar` runs with Fiji's jars on the
 * class path and its `plugins/` folder, so ImageJ 1.x plugins shipped with
 * Fiji are there (SciJava-only commands are not). Also: which `java`, and
 * `xvfb-run` to give ImageJ the display it needs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';

export const DEBIAN_IJ_JAR = '/usr/share/java/ij.jar';

export interface ImageJInstall {
  /** The ImageJ 1.x jar (`ij.jar`, or Fiji's `jars/ij-1.x.jar`). */
  jar: string;
  /** Class path entries besides the jar (Fiji's `jars/*`). */
  classPath: string[];
  /** Folder whose `plugins/` ImageJ loads (`-Dplugins.dir`), for an ImageJ or Fiji folder. */
  pluginsDir?: string;
  /** The java executable. */
  java: string;
  /** What the user named (or the default), for messages. */
  source: string;
}

/** An executable on PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function missing(what: string, hint: string): FairioError {
  return new FairioError('MISSING_DEPENDENCY', `${what} was not found: ${hint}`);
}

/** The newest `ij-1.x.jar` (or `ij.jar`) in a folder, by ImageJ's version order (1.54f > 1.54 > 1.53t). */
function imagejJarIn(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const jars = fs.readdirSync(dir).filter((f) => /^ij(-[0-9][\w.-]*)?\.jar$/.test(f));
  if (jars.includes('ij.jar')) return path.join(dir, 'ij.jar');
  const key = (f: string) => f.replace(/^ij-|\.jar$/g, '').replace(/\d+/g, (d) => d.padStart(6, '0'));
  jars.sort((a, b) => (key(a) < key(b) ? 1 : -1));
  return jars[0] && path.join(dir, jars[0]);
}

/** A Java runtime inside a Fiji folder (`java/<platform>/<jdk>/bin/java` or `java/<platform>/bin/java`). */
function bundledJava(dir: string): string | undefined {
  const root = path.join(dir, 'java');
  if (!fs.existsSync(root)) return undefined;
  const walk = (d: string, depth: number): string | undefined => {
    const java = path.join(d, 'bin', 'java');
    if (fs.existsSync(java)) return java;
    if (depth === 0) return undefined;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        const found = walk(path.join(d, e.name), depth - 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(root, 3);
}

function systemJava(env: NodeJS.ProcessEnv): string {
  const fromHome = env.JAVA_HOME && path.join(env.JAVA_HOME, 'bin', 'java');
  if (fromHome && fs.existsSync(fromHome)) return fromHome;
  const java = findExecutable('java', env);
  if (!java) throw missing('Java', 'install a Java runtime (scripts/setup.sh installs Debian\'s imagej package, which brings one) or set JAVA_HOME');
  return java;
}

/** Resolve the ImageJ to run from the parameter, `FIJI_HOME`, or the default. */
export function locateImageJ(given?: string, env: NodeJS.ProcessEnv = process.env): ImageJInstall {
  const source = given || env.FIJI_HOME || DEBIAN_IJ_JAR;
  const from = given ? 'the imagej parameter' : env.FIJI_HOME ? 'FIJI_HOME' : 'the default';
  if (!fs.existsSync(source)) {
    if (!given && !env.FIJI_HOME) throw missing(`ImageJ (${DEBIAN_IJ_JAR})`, 'run scripts/setup.sh (it installs Debian\'s imagej and xvfb packages), or point --imagej or FIJI_HOME to an ij.jar or a Fiji folder');
    throw new FairioError('NOT_FOUND', `ImageJ named by ${from} does not exist`, { path: source });
  }
  if (fs.statSync(source).isFile()) {
    if (!source.endsWith('.jar')) throw new FairioError('INVALID_ARGUMENT', 'is not an ImageJ jar or folder: give an ij.jar, or an ImageJ or Fiji folder (Fiji.app)', { path: source });
    return { jar: path.resolve(source), classPath: [], java: systemJava(env), source };
  }
  const folder = path.resolve(source);
  const jar = imagejJarIn(path.join(folder, 'jars')) ?? imagejJarIn(folder);
  if (!jar) throw new FairioError('NOT_FOUND', 'has no ij.jar nor jars/ij-*.jar: is it an ImageJ or Fiji folder?', { path: source });
  const fijiJars = path.join(folder, 'jars');
  return {
    jar,
    // Java expands a class path entry ending in `*` to the jars in that folder itself (no shell involved).
    classPath: fs.existsSync(fijiJars) ? [path.join(fijiJars, '*')] : [],
    pluginsDir: folder,
    java: bundledJava(folder) ?? systemJava(env),
    source,
  };
}

/** `xvfb-run`, or undefined when there is none. */
export function findXvfbRun(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable('xvfb-run', env);
}
