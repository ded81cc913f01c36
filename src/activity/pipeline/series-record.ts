/** The hourly series as the `aggregate` step publishes it (JSON), and back. */
import { InputError } from "../../util/errors.js";
import type { HourlySeries } from "../series.js";

export interface SeriesRecord {
  chat: string;
  zone: string;
  /** Local dates covered, inclusive; the last is the day before the logical date. */
  firstDay: string;
  lastDay: string;
  /** Unix seconds of the first bucket (local midnight of `firstDay`). */
  start: number;
  days: string[];
  /** Bucket index where each day starts, plus the series length. */
  dayStarts: number[];
  counts: number[];
}

export function seriesRecord(chat: string, series: HourlySeries): SeriesRecord {
  return {
    chat,
    zone: series.zone,
    firstDay: series.days[0]!,
    lastDay: series.days.at(-1)!,
    start: series.start,
    days: series.days,
    dayStarts: [...series.dayStarts],
    counts: [...series.counts],
  };
}

export function seriesFromRecord(record: SeriesRecord): HourlySeries {
  return {
    zone: record.zone,
    start: record.start,
    counts: Float64Array.from(record.counts),
    days: record.days,
    dayStarts: Int32Array.from(record.dayStarts),
  };
}

/** Refuses to mix a series cut in one zone with a run configured for another. */
export function assertSameZone(record: { zone: string }, zone: string, what: string): void {
  if (record.zone !== zone) {
    throw new InputError(
      `${what} was made in time zone ${record.zone} but INFLOW_ACTIVITY_TIME_ZONE is ${zone}: rerun the pipeline from aggregate`,
    );
  }
}
