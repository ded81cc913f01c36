/** Small helpers every bench script uses: command-line flags and the numbers it prints. */

/** The value after `--name` on the command line, if given. */
export function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** The middle value (mean of the two middle ones for an even count); the input is not reordered. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounded to 3 decimals, as the bench results are reported. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
