/** How a command speaks: human text, or one JSON document with `--json`. */

export interface CommonOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Print a command's result: JSON on `--json`, else the human rendering. */
export function emit<T>(result: T, options: CommonOptions, human: (r: T) => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${human(result)}\n`);
}

/** Format a byte count for people. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
