/** Small helpers every bench script uses: command-line flags and the numbers it prints. */
import { readFileSync } from "node:fs";

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

/** What every run of an alternating bench records besides its measurements. */
export interface RoundRun {
  /** 1-based. */
  round: number;
  /** 1-minute load average when the run started. */
  loadAverage1m: number;
}

/**
 * Measures two sides `rounds` times, alternating which goes first (a shared machine's load drifts, so
 * each side gets the early and the late slot equally); each side's results in round order.
 */
export async function alternatingRounds<S extends string, R>(
  [a, b]: readonly [S, S],
  rounds: number,
  measure: (side: S, round: number) => Promise<R>,
): Promise<Record<S, R[]>> {
  const runs = { [a]: [], [b]: [] } as unknown as Record<S, R[]>;
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? [a, b] : [b, a]) runs[side].push(await measure(side, r));
  }
  return runs;
}

/** The range of 1-minute load averages seen over a bench's runs, for its results file. */
export function loadRange(loads: number[]): { min: number; max: number } {
  return { min: round(Math.min(...loads)), max: round(Math.max(...loads)) };
}

/**
 * CPU time a process has used so far (user + system, all its threads), in ms, from /proc (Linux;
 * clock ticks of 10 ms). Unlike throughput, CPU per ticket hardly moves with what else the machine runs.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
