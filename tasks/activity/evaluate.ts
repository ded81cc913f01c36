import type { ActivityConfig } from "../../src/activity/config.js";
import { evaluateDay } from "../../src/activity/pipeline/evaluation.js";
import type { ForecastRecord } from "../../src/activity/pipeline/forecast-record.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import {
  parsePublished,
  readPublished,
  requirePublishedSeries,
} from "../../src/activity/pipeline/published.js";
import { assertSameZone, seriesFromRecord } from "../../src/activity/pipeline/series-record.js";
import { dayCounts } from "../../src/activity/series.js";
import { addDays } from "../../src/activity/zone.js";
import { taskResults } from "../../src/monitoring/task-results.js";
import { Publication } from "../../src/store/publish.js";
import type { TaskDefinition } from "../task.js";
import { activitySettings } from "./settings.js";

/** Days since 1970-01-01: the tracker step of a day's metrics, stable across reruns and backfills. */
function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

/**
 * evaluate: the run of --date D scores day D-1, comparing its actual hours (the series of D) with
 * the forecast the run of D-1 made for it.
 */
export const evaluateTask: TaskDefinition<object, ActivityConfig> = {
  pipeline: "activity",
  step: "evaluate",
  describe:
    "Score yesterday's forecast (made by the run of the day before --date) against yesterday's actual hours",
  options: (argv) => argv,
  settings: activitySettings(),
  async run({ date, runId, store, run, log, measure, settings: config }) {
    const kinds = activityKinds(config.chat.key);
    const day = addDays(date, -1);
    const { file: seriesFile, record: seriesData } = await requirePublishedSeries(
      store,
      kinds.series,
      date,
      config.zone,
    );
    const forecastFile = await readPublished(store, kinds.forecast, day, "forecast.json");
    const forecast = forecastFile ? parsePublished<ForecastRecord>(forecastFile) : null;
    if (forecast) assertSameZone(forecast, config.zone, `the forecast of ${day}`);
    const actual = dayCounts(seriesFromRecord(seriesData), day);
    const evaluation = evaluateDay({ chat: config.chat.key, zone: config.zone, day }, actual, forecast);

    const publication = new Publication(store, kinds.evaluation, date, runId);
    await publication.put("evaluation.json", `${JSON.stringify(evaluation, null, 2)}\n`);
    const inputs = [seriesFile, ...(forecastFile ? [forecastFile] : [])].map((f) => ({
      uri: f.uri,
      sha256: f.sha256,
    }));
    // The run link lives in the manifest, not in evaluation.json: reruns publish the same bytes.
    await publication.publish({ inputs, params: { zone: config.zone } }, { day, trackerRun: run.link });
    await run.logParams({ chat: config.chat.key, zone: config.zone, day, model: evaluation.model ?? "none" });
    const m = evaluation.metrics;
    await run.logMetrics(
      {
        actualTotal: evaluation.actualTotal,
        ...(m && evaluation.expectedTotal !== null
          ? {
              expectedTotal: evaluation.expectedTotal,
              smape: m.smape,
              mae: m.mae,
              rmse: m.rmse,
              dailySmape: m.dailySmape,
              totalError: m.totalError,
              rmseMean: m.rmseMean,
              ...Object.fromEntries(
                (["coverage50", "coverage80", "coverage95", "activeCoverage80"] as const).flatMap((k) =>
                  m[k] === null ? [] : [[k, m[k]]],
                ),
              ),
              ...(m.totalInside80 === null ? {} : { totalInside80: m.totalInside80 ? 1 : 0 }),
            }
          : {}),
      },
      dayNumber(day),
    );
    measure(taskResults.actualMessages, evaluation.actualTotal);
    if (forecast && m && evaluation.expectedTotal !== null) {
      measure(taskResults.forecastSmape, m.smape);
      measure(taskResults.forecastMae, m.mae);
      measure(taskResults.forecastExpectedMessages, evaluation.expectedTotal);
      forecast.hours.forEach(({ label, mean }, k) => {
        measure(taskResults.forecastHourExpectedMessages, mean, { hour: label });
        measure(taskResults.actualHourMessages, actual[k]!, { hour: label });
      });
    } else log.warn({ day }, "no forecast was published for yesterday: only its actual total is recorded");
    return {
      day,
      model: evaluation.model,
      actualTotal: evaluation.actualTotal,
      expectedTotal: evaluation.expectedTotal,
      metrics: m,
    };
  },
};
