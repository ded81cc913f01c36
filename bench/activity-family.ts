/** The generated family of chats (src/activity/generate.ts) as hourly series on their own local days. */
import { activityFamily, generateActivity } from "../src/activity/generate.js";
import { hourlySeriesOf } from "../src/activity/series.js";
import { addDays } from "../src/activity/zone.js";

export interface FamilySeries {
  chat: string;
  counts: Float64Array;
  dayStarts: Int32Array;
  /** Share of hours without a message. */
  emptyShare: number;
}

export function familySeries(): FamilySeries[] {
  return activityFamily().map(({ name, options }) => {
    const g = generateActivity(options);
    const lastDay = addDays(g.options.firstDay, g.options.days - 1);
    const s = hourlySeriesOf(g.messages, { zone: g.options.zone, firstDay: g.options.firstDay, lastDay });
    let empty = 0;
    for (const v of s.counts) if (v === 0) empty++;
    return { chat: name, counts: s.counts, dayStarts: s.dayStarts, emptyShare: empty / s.counts.length };
  });
}

/**
 * The reference chat as the seed's peer sees it: UTC hours of `generateActivity()` from its first
 * local midnight, scored on 24-hour days counted back from the end (the bench's model table).
 */
export function referenceSeries(): { series: Float64Array; messages: number } {
  const generated = generateActivity();
  const series = new Float64Array(generated.hours);
  for (const m of generated.messages) series[Math.floor((m.timestamp - generated.start) / 3600)]! += 1;
  return { series, messages: generated.messages.length };
}
