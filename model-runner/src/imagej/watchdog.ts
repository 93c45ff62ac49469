/**
 * The dialog watchdog: a few lines of Java that start ImageJ in the same JVM
 * and watch its windows. ImageJ 1.x reports a macro error (syntax error,
 * unknown command, no image open…) in a modal dialog and waits for a click
 * that never comes in batch runs; nothing reaches stdout, and no macro
 * function can turn the dialog off. The watchdog sees the dialog within a
 * fraction of a second, writes its title and text to a file and ends the JVM,
 * so a failed macro returns ImageJ's own error message at once instead of
 * hanging until the time limit.
 *
 * The class is compiled once with `javac` (a JDK, which the setup script
 * installs) into a cache folder named after the source's hash. Without a
 * compiler the macro still runs, and a dialog is then caught by the time
 * limit only.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './locate.js';

const run = promisify(execFile);

/** Main class of the watchdog; the rest of its command line goes to `ij.ImageJ.main`. */
export const WATCHDOG_CLASS = 'FairioImageJ';

/** Exit status of a JVM the watchdog ended because a dialog was waiting for a person. */
export const DIALOG_EXIT_STATUS = 86;

// Java 8 syntax, so a Fiji with an old bundled Java runs it too. ImageJ is
// reached by reflection, so the class compiles without ij.jar.
const SOURCE = `
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.Label;
import java.awt.TextComponent;
import java.awt.Window;
import java.io.FileOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/** Runs ImageJ; ends the JVM when a dialog waits for a person (fairio). */
public final class ${WATCHDOG_CLASS} {
  public static void main(String[] args) throws Exception {
    final String report = System.getProperty("fairio.dialogFile");
    Thread watchdog = new Thread(new Runnable() {
      public void run() { watch(report); }
    }, "fairio-dialog-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Class.forName("ij.ImageJ").getMethod("main", String[].class).invoke(null, (Object) args);
  }

  /** A dialog seen in two polls in a row is one that waits (a transient one is gone by then). */
  static void watch(String report) {
    Window seen = null;
    while (true) {
      try { Thread.sleep(150); } catch (InterruptedException e) { return; }
      Window waiting = null;
      for (Window w : Window.getWindows()) if (w instanceof Dialog && w.isShowing()) waiting = w;
      if (waiting != null && waiting == seen) {
        StringBuilder text = new StringBuilder(((Dialog) waiting).getTitle()).append('\\n');
        collect(waiting, text);
        byte[] bytes = text.toString().trim().getBytes(StandardCharsets.UTF_8);
        try {
          if (report != null) { FileOutputStream out = new FileOutputStream(report); out.write(bytes); out.close(); }
        } catch (Exception e) { /* the exit status still tells */ }
        System.err.println("[fairio] ImageJ opened a dialog: " + text.toString().trim().replace('\\n', ' '));
        Runtime.getRuntime().halt(${DIALOG_EXIT_STATUS});
      }
      seen = waiting;
    }
  }

  /** Text of labels, text fields and ImageJ's MultiLineLabel (a canvas that keeps its lines in a field). */
  static void collect(Component c, StringBuilder text) {
    if (c instanceof Label) text.append(((Label) c).getText()).append('\\n');
    else if (c instanceof TextComponent) text.append(((TextComponent) c).getText()).append('\\n');
    else if (!(c instanceof Container) || c.getClass().getName().endsWith("MultiLineLabel")) {
      try {
        Method getText = c.getClass().getMethod("getText");
        text.append(getText.invoke(c)).append('\\n');
      } catch (Exception noGetter) {
        try {
          Field lines = c.getClass().getDeclaredField("lines");
          lines.setAccessible(true);
          Object value = lines.get(c);
          if (value instanceof String[]) for (String line : (String[]) value) text.append(line).append('\\n');
        } catch (Exception noLines) { /* a component without text */ }
      }
    }
    if (c instanceof Container) for (Component child : ((Container) c).getComponents()) collect(child, text);
  }
}
`;

const compiled = new Map<string, Promise<string | undefined>>();

/** `javac` beside `java`, else on PATH. */
function findJavac(java: string): string | undefined {
  const beside = path.join(path.dirname(java), 'javac');
  return fs.existsSync(beside) ? beside : findExecutable('javac');
}

/**
 * The folder holding the compiled watchdog class, or undefined (with the
 * reason in `onMissing`) when no Java compiler is there.
 */
export function watchdogClassDir(java: string, onMissing?: (reason: string) => void): Promise<string | undefined> {
  const hash = createHash('sha256').update(SOURCE).digest('hex').slice(0, 16);
  const dir = path.join(process.env.FAIRIO_CACHE ?? path.join(os.tmpdir(), 'fairio-cache'), `imagej-watchdog-${hash}`);
  const key = `${dir}\0${java}`;
  let pending = compiled.get(key);
  if (!pending) {
    pending = compile(dir, java, onMissing);
    compiled.set(key, pending);
  }
  return pending;
}

async function compile(dir: string, java: string, onMissing?: (reason: string) => void): Promise<string | undefined> {
  if (fs.existsSync(path.join(dir, `${WATCHDOG_CLASS}.class`))) return dir;
  const javac = findJavac(java);
  if (!javac) {
    onMissing?.('no Java compiler (javac) was found, so a macro error is caught by the time limit only; install a JDK (scripts/setup.sh does)');
    return undefined;
  }
  // Compiled into a private folder, then renamed: concurrent runs never see half a class.
  const temp = `${dir}.partial-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(temp, { recursive: true });
  try {
    const source = path.join(temp, `${WATCHDOG_CLASS}.java`);
    fs.writeFileSync(source, SOURCE);
    try {
      await run(javac, ['--release', '8', '-Xlint:-options', '-nowarn', '-d', temp, source], { timeout: 120_000 });
    } catch {
      await run(javac, ['-source', '8', '-target', '8', '-nowarn', '-d', temp, source], { timeout: 120_000 });
    }
    try {
      fs.renameSync(temp, dir);
    } catch (error) {
      if (!fs.existsSync(path.join(dir, `${WATCHDOG_CLASS}.class`))) throw error;
    }
    return dir;
  } catch (error) {
    onMissing?.(`the dialog watchdog did not compile (${(error as Error).message.split('\n')[0]}), so a macro error is caught by the time limit only`);
    return undefined;
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
