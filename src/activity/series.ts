/**
 * Hourly message counts for a run of local days in an IANA zone.
 *
 * Representation: buckets are consecutive *absolute* hours starting at the first day's local
 * midnight, so the array never has holes or doubled hours; local days are windows over it
 * (`dayStarts`). A day with a spring-forward change has 23 buckets, a fall-back day 25, and a
 * forecast "for tomorrow" has as many steps as tomorrow has hours. Models see one uninterrupted
 * hourly series, which is what their lags assume.
 */
import type { MessageRecord } from "./types.js";
import { addDays, assertTimeZone, localParts, parseDate, zonedMidnight } from "./zone.js";

export interface HourlySeries {
  zone: string;
  /** Unix seconds at which bucket 0 starts (local midnight of `days[0]`). */
  start: number;
  counts: Float64Array;
  /** Local dates, YYYY-MM-DD, in order. */
  days: string[];
  /** Bucket index where each day starts; one extra entry equal to `counts.length`. */
  dayStarts: Int32Array;
}

export interface SeriesWindow {
  zone: string;
  /** First local date, inclusive. */
  firstDay: string;
  /** Last local date, inclusive. */
  lastDay: string;
}

/** Day boundaries for a window; the counts are zero-filled. */
export function emptySeries({ zone, firstDay, lastDay }: SeriesWindow): HourlySeries {
  assertTimeZone(zone);
  parseDate(firstDay);
  parseDate(lastDay);
  if (lastDay < firstDay) throw new RangeError(`lastDay ${lastDay} is before firstDay ${firstDay}`);
  const start = zonedMidnight(firstDay, zone);
  const days: string[] = [];
  const starts: number[] = [];
  for (let d = firstDay; d <= lastDay; d = addDays(d, 1)) {
    days.push(d);
    // Offsets on a half-hour grid (Lord Howe) put midnight mid-bucket: round to the nearest bucket.
    starts.push(Math.round((zonedMidnight(d, zone) - start) / 3600));
  }
  starts.push(Math.round((zonedMidnight(addDays(lastDay, 1), zone) - start) / 3600));
  const dayStarts = Int32Array.from(starts);
  return { zone, start, counts: new Float64Array(dayStarts[days.length]!), days, dayStarts };
}

/** Counts messages per hour; messages outside the window are ignored. */
export function hourlySeries(timestamps: Iterable<number>, window: SeriesWindow): HourlySeries {
  const series = emptySeries(window);
  const { counts, start } = series;
  const n = counts.length;
  for (const t of timestamps) {
    const i = Math.floor((t - start) / 3600);
    if (i >= 0 && i < n) counts[i]! += 1;
  }
  return series;
}

/** Same as `hourlySeries`, from message records. */
export function hourlySeriesOf(records: Iterable<MessageRecord>, window: SeriesWindow): HourlySeries {
  return hourlySeries(timestampsOf(records), window);
}

function* timestampsOf(records: Iterable<MessageRecord>): Iterable<number> {
  for (const r of records) yield r.timestamp;
}

/** Index of a local date in the series, or -1. */
export function dayIndex(series: HourlySeries, date: string): number {
  return series.days.indexOf(date);
}

/** The buckets of one local day (a view, not a copy). */
export function dayCounts(series: HourlySeries, date: string): Float64Array {
  const d = dayIndex(series, date);
  if (d < 0) throw new RangeError(`${date} is outside the series ${series.days[0]}..${series.days.at(-1)}`);
  return series.counts.subarray(series.dayStarts[d]!, series.dayStarts[d + 1]!);
}

/** Local wall-clock hour (0..23) of each bucket start: chart labels, repeated or skipped at DST. */
export function bucketLocalHours(series: HourlySeries, from = 0, to = series.counts.length): Int8Array {
  const hours = new Int8Array(to - from);
  for (let i = from; i < to; i++) hours[i - from] = localParts(series.start + 3600 * i, series.zone).hour;
  return hours;
}
