/**
 * Whether the ImageJ macro node can run here: Debian's ImageJ
 * (/usr/share/java/ij.jar), java, xvfb-run for the virtual display, and
 * javac for the dialog watchdog — all installed by scripts/setup.sh. Use with
 * `missing()` from reference.ts: skipped outside CI, a failure in CI.
 */
import * as fs from 'node:fs';
import { DEBIAN_IJ_JAR, findExecutable } from '../../model-runner/src/imagej/locate.js';

export const hasImageJ = fs.existsSync(DEBIAN_IJ_JAR) && ['java', 'javac', 'xvfb-run'].every((tool) => findExecutable(tool) !== undefined);
