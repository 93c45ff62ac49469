/**
 * Progress for long work: a bar on stderr that appears only once the work has
 * taken more than a second, and never when stderr is not a terminal or the
 * user asked for `--quiet` (so logs and pipes stay clean).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Report `done` out of `total` units. */
  update(done: number, total: number): void;
  stop(): void;
}

/** Work shorter than this shows no bar; FAIRIO_PROGRESS_AFTER_MS changes it (tests use 0). */
const SHOW_AFTER_MS = Number(process.env.FAIRIO_PROGRESS_AFTER_MS ?? 1000);

export function createProgress(label: string, options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar) {
        if (Date.now() - started < SHOW_AFTER_MS) return;
        bar = new cliProgress.SingleBar(
          { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
