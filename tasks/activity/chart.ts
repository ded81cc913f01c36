import type { ActivityConfig } from "../../src/activity/config.js";
import {
  chartHour,
  expectedTotalText,
  type ForecastRecord,
} from "../../src/activity/pipeline/forecast-record.js";
import { hourLabels } from "../../src/activity/pipeline/hour-labels.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import {
  parsePublished,
  readPublished,
  requirePublished,
  requirePublishedSeries,
} from "../../src/activity/pipeline/published.js";
import { seriesFromRecord } from "../../src/activity/pipeline/series-record.js";
import { dayCounts, dayIndex } from "../../src/activity/series.js";
import { addDays } from "../../src/activity/zone.js";
import { renderActivityDay, renderForecast } from "../../src/charts/index.js";
import { Publication } from "../../src/store/publish.js";
import { logPublished } from "../../src/tracking/published.js";
import type { TaskDefinition } from "../task.js";
import { activitySettings } from "./settings.js";

/** What the calibrated 80% band promises, in the reader's words. */
const BAND_LABEL = "80% band: 8 in 10 hours land inside";

/** chart: yesterday's actual hours against their forecast, and today's forecast with its 80% band (PNG). */
export const chartTask: TaskDefinition<object, ActivityConfig> = {
  pipeline: "activity",
  step: "chart",
  describe: "Draw yesterday (actual vs forecast) and --date's forecast with its interval band as PNGs",
  options: (argv) => argv,
  settings: activitySettings(),
  async run({ date, runId, store, run, settings: config }) {
    const kinds = activityKinds(config.chat.key);
    const day = addDays(date, -1);
    const { file: seriesFile, record: seriesData } = await requirePublishedSeries(
      store,
      kinds.series,
      date,
      config.zone,
    );
    const todayFile = await requirePublished(store, kinds.forecast, date, "forecast.json", "forecast");
    const today = parsePublished<ForecastRecord>(todayFile);
    const yesterdayFile = await readPublished(store, kinds.forecast, day, "forecast.json");
    const yesterday = yesterdayFile ? parsePublished<ForecastRecord>(yesterdayFile) : null;

    const series = seriesFromRecord(seriesData);
    const actual = dayCounts(series, day);
    const first = series.start + 3600 * series.dayStarts[dayIndex(series, day)]!;
    const usable = yesterday?.hours.length === actual.length ? yesterday : null;
    const yesterdayPng = renderActivityDay({
      title: `${day}: actual vs forecast`,
      subtitle: usable
        ? `${config.chat.ref} · ${usable.model} · ${expectedTotalText(usable, "messages")}`
        : `${config.chat.ref} · no forecast was made for this day`,
      hours: hourLabels(first, actual.length, config.zone).map((label, k) => ({
        label,
        actual: actual[k]!,
        ...(usable ? { forecast: chartHour(usable.hours[k]!) } : {}),
      })),
      intervalLabel: BAND_LABEL,
      timeZone: config.zone,
    });
    const todayPng = renderForecast({
      title: `Forecast for ${date}`,
      subtitle: `${config.chat.ref} · model ${today.model} · ${expectedTotalText(today, "messages")}`,
      hours: today.hours.map((h) => ({ label: h.label, ...chartHour(h) })),
      intervalLabel: BAND_LABEL,
      timeZone: config.zone,
    });

    const publication = new Publication(store, kinds.charts, date, runId);
    const files = { "yesterday.png": yesterdayPng, "today.png": todayPng };
    for (const [name, body] of Object.entries(files)) await publication.put(name, body);
    const inputs = [seriesFile, todayFile, ...(yesterdayFile ? [yesterdayFile] : [])];
    const manifest = await publication.publish(
      { inputs: inputs.map((f) => ({ uri: f.uri, sha256: f.sha256 })), params: { zone: config.zone } },
      { yesterdayHasForecast: usable !== null },
    );
    await logPublished(run, store.uri, manifest, files, "image/png");
    return {
      yesterdayHasForecast: usable !== null,
      outputs: manifest.outputs.map((o) => `${store.uri}/${o.key}`),
    };
  },
};
