import type { ActivityConfig } from "../../src/activity/config.js";
import { readHistoryBefore } from "../../src/activity/pipeline/history-store.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import { seriesRecord } from "../../src/activity/pipeline/series-record.js";
import { hourlySeries } from "../../src/activity/series.js";
import { addDays, localDate, zonedMidnight } from "../../src/activity/zone.js";
import { Publication } from "../../src/store/publish.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";
import { activitySettings } from "./settings.js";

/** aggregate: stored history → hourly counts in the configured zone, from the first message to the end of the day before --date. */
export const aggregateTask: TaskDefinition<object, ActivityConfig> = {
  pipeline: "activity",
  step: "aggregate",
  describe:
    "Count the chat's messages per hour (configured time zone, zero-filled, DST-safe) up to the end of the day before --date",
  options: (argv) => argv,
  settings: activitySettings(),
  async run({ date, runId, store, run, log, settings: config }) {
    const kinds = activityKinds(config.chat.key);
    const until = zonedMidnight(date, config.zone);
    const history = await readHistoryBefore(store, kinds.history, until);
    if (history.timestamps.length === 0) {
      throw new InputError(
        `no stored messages of chat ${config.chat.ref} before ${date}: run \`inflow activity ingest --date ${date}\` first`,
      );
    }
    const series = hourlySeries(history.timestamps, {
      zone: config.zone,
      firstDay: localDate(history.timestamps[0]!, config.zone),
      lastDay: addDays(date, -1),
    });
    const counts = series.counts;
    let empty = 0;
    let peak = 0;
    for (const v of counts) {
      if (v === 0) empty++;
      if (v > peak) peak = v;
    }
    const lastDay = counts.subarray(series.dayStarts[series.days.length - 1]!);
    const stats = {
      chat: config.chat.key,
      zone: config.zone,
      firstDay: series.days[0]!,
      lastDay: series.days.at(-1)!,
      days: series.days.length,
      hours: counts.length,
      messages: history.timestamps.length,
      emptyHourShare: empty / counts.length,
      peakPerHour: peak,
      lastDayMessages: lastDay.reduce((s, v) => s + v, 0),
    };
    const publication = new Publication(store, kinds.series, date, runId);
    await publication.put("series.json", `${JSON.stringify(seriesRecord(config.chat.key, series))}\n`);
    const manifest = await publication.publish(
      { inputs: history.inputs, params: { zone: config.zone } },
      stats,
    );
    await run.logParams({ chat: config.chat.key, zone: config.zone });
    await run.logMetrics({
      hours: stats.hours,
      messages: stats.messages,
      emptyHourShare: stats.emptyHourShare,
      peakPerHour: stats.peakPerHour,
      lastDayMessages: stats.lastDayMessages,
    });
    log.info(stats, "aggregated");
    return { ...stats, outputs: manifest.outputs.map((o) => `${store.uri}/${o.key}`) };
  },
};
