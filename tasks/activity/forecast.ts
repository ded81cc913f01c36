import type { ActivityConfig } from "../../src/activity/config.js";
import { forecastCsv, forecastRecord, totalBand80 } from "../../src/activity/pipeline/forecast-record.js";
import { hourLabels } from "../../src/activity/pipeline/hour-labels.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import { type ModelChoice, modelByName } from "../../src/activity/pipeline/models.js";
import {
  parsePublished,
  requirePublished,
  requirePublishedSeries,
} from "../../src/activity/pipeline/published.js";
import { assertSameZone, seriesFromRecord } from "../../src/activity/pipeline/series-record.js";
import { addDays, zonedMidnight } from "../../src/activity/zone.js";
import { latestPublishedDate, Publication } from "../../src/store/publish.js";
import { logPublished } from "../../src/tracking/published.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";
import { activitySettings } from "./settings.js";

/**
 * forecast: the hours of day --date (24, or 23/25 at a DST change) from every hour before it, with
 * the model chosen by the newest `train` run on or before --date, refitted here.
 */
export const forecastTask: TaskDefinition<object, ActivityConfig> = {
  pipeline: "activity",
  step: "forecast",
  describe: "Forecast every hour of --date (mean, median, q10/q50/q90, expected total) with the chosen model",
  options: (argv) => argv,
  settings: activitySettings(),
  async run({ date, runId, store, run, log, settings: config }) {
    const kinds = activityKinds(config.chat.key);
    const trainedOn = await latestPublishedDate(store, kinds.model, date, false);
    if (!trainedOn)
      throw new InputError(
        `no model chosen on or before ${date}: run \`inflow activity train --date ${date}\` first`,
      );
    const choiceFile = await requirePublished(store, kinds.model, trainedOn, "model.json", "train");
    const choice = parsePublished<ModelChoice>(choiceFile);
    assertSameZone(choice, config.zone, `the model chosen on ${trainedOn}`);
    const spec = modelByName(choice.chosen);
    if (!spec || JSON.stringify(spec.params) !== JSON.stringify(choice.params)) {
      throw new InputError(
        `model ${choice.chosen} ${JSON.stringify(choice.params)} (chosen on ${trainedOn}) is not available in this build`,
      );
    }
    const { file: seriesFile, record: seriesData } = await requirePublishedSeries(
      store,
      kinds.series,
      date,
      config.zone,
    );
    const series = seriesFromRecord(seriesData);

    const start = series.start + 3600 * series.counts.length;
    const horizon = Math.round((zonedMidnight(addDays(date, 1), config.zone) - start) / 3600);
    const forecast = spec.forecaster.fit(series.counts).forecast(horizon);
    const record = forecastRecord(
      { chat: config.chat.key, zone: config.zone, date, model: choice.chosen },
      start,
      hourLabels(start, horizon, config.zone),
      forecast,
    );
    const publication = new Publication(store, kinds.forecast, date, runId);
    const files = {
      "forecast.json": `${JSON.stringify(record, null, 2)}\n`,
      "forecast.csv": forecastCsv(record),
    };
    for (const [name, body] of Object.entries(files)) await publication.put(name, body);
    const manifest = await publication.publish(
      {
        inputs: [seriesFile, choiceFile].map((f) => ({ uri: f.uri, sha256: f.sha256 })),
        params: { model: choice.chosen, ...choice.params, trainedOn },
      },
      { expectedTotal: record.expectedTotal, hours: horizon, trackerRun: run.link },
    );
    await run.logParams({
      chat: config.chat.key,
      zone: config.zone,
      model: choice.chosen,
      trainedOn,
      hours: horizon,
    });
    await run.logMetrics({ expectedTotal: record.expectedTotal });
    await logPublished(run, store.uri, manifest, files);
    log.info({ model: choice.chosen, hours: horizon, expectedTotal: record.expectedTotal }, "forecast");
    const band80 = totalBand80(record);
    return {
      model: choice.chosen,
      trainedOn,
      hours: horizon,
      expectedTotal: record.expectedTotal,
      totalBand80: band80 ? [band80.lower, band80.upper] : null,
      outputs: manifest.outputs.map((o) => `${store.uri}/${o.key}`),
    };
  },
};
