/** Chart and CSV labels of hourly buckets: the local wall-clock hour, marked when a DST fall-back repeats it. */
import { localParts } from "../zone.js";

/** "HH" of each bucket starting at `start` (unix seconds); a repeated hour gets a prime ("02′"). */
export function hourLabels(start: number, count: number, zone: string): string[] {
  const seen = new Set<number>();
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    const hour = localParts(start + 3600 * i, zone).hour;
    labels.push(`${String(hour).padStart(2, "0")}${seen.has(hour) ? "′" : ""}`);
    seen.add(hour);
  }
  return labels;
}
