import { backtest, type SelectionMetric } from "../../src/activity/backtest.js";
import { type ActivityConfig, readActivityConfig, selectionMetrics } from "../../src/activity/config.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import {
  backtestCsv,
  candidateModels,
  MIN_HISTORY_DAYS,
  type ModelChoice,
  type PublishedScore,
} from "../../src/activity/pipeline/models.js";
import {
  parsePublished,
  readPublished,
  requirePublishedSeries,
} from "../../src/activity/pipeline/published.js";
import { seriesFromRecord } from "../../src/activity/pipeline/series-record.js";
import { Publication } from "../../src/store/publish.js";
import { logPublished } from "../../src/tracking/published.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  "backtest-days"?: number;
  "select-by"?: SelectionMetric;
}

/**
 * train: rolling-origin backtest of every candidate over the last N days before --date (capped by
 * the history), and the model choice by the declared metric. The models are refitted by `forecast`
 * (one pass over the history each), so what is published is the choice, its parameters and the table.
 */
export const trainTask: TaskDefinition<Options, ActivityConfig> = {
  pipeline: "activity",
  step: "train",
  describe: "Backtest every forecaster on the days before --date and choose one by the declared metric",
  options: (argv) =>
    argv
      .option("backtest-days", {
        type: "number",
        describe: "Days scored (env INFLOW_ACTIVITY_BACKTEST_DAYS, default 365)",
      })
      .option("select-by", {
        choices: selectionMetrics,
        describe: "Metric that chooses the model (env INFLOW_ACTIVITY_SELECT_BY, default crps)",
      }),
  settings: (env, options, problems) =>
    readActivityConfig(
      env,
      {},
      {
        ...(options["backtest-days"] === undefined ? {} : { backtestDays: options["backtest-days"] }),
        ...(options["select-by"] === undefined ? {} : { selectBy: options["select-by"] }),
      },
      problems,
    ),
  async run({ date, runId, store, run, log, settings: config }, options) {
    const kinds = activityKinds(config.chat.key);
    const { file: seriesFile, record } = await requirePublishedSeries(store, kinds.series, date, config.zone);
    const series = seriesFromRecord(record);
    const available = series.days.length - MIN_HISTORY_DAYS;
    if (available < 1) {
      throw new InputError(
        `${series.days.length} days of history before ${date}; the backtest needs at least ${MIN_HISTORY_DAYS + 1}`,
      );
    }
    if (options["backtest-days"] !== undefined && options["backtest-days"] > available) {
      throw new InputError(
        `--backtest-days ${options["backtest-days"]}: only ${available} days before ${date} can be backtested ` +
          `(${series.days.length} days of history, the first ${MIN_HISTORY_DAYS} fit the models); use --backtest-days ${available} or less`,
      );
    }
    // The configured default adapts to a short history (reported as backtestDays in the summary).
    const days = Math.min(config.backtestDays, available);
    const capped = days < config.backtestDays;
    if (capped) {
      log.warn(
        { requested: config.backtestDays, backtestDays: days },
        `backtest capped at ${days} days: ${config.backtestDays} were asked for, but the history before ${date} has only ${series.days.length} days and the first ${MIN_HISTORY_DAYS} are only ever history`,
      );
    }
    const models = candidateModels();
    const result = backtest(
      series.counts,
      models.map((m) => m.forecaster),
      { days, dayStarts: series.dayStarts, selectBy: config.selectBy },
    );
    const scores: PublishedScore[] = result.scores.map(({ seconds: _seconds, ...score }) => score);
    const choice: ModelChoice = {
      chat: config.chat.key,
      zone: config.zone,
      date,
      selectBy: result.selectBy,
      backtestDays: days,
      through: series.days.at(-1)!,
      chosen: result.chosen,
      params: models.find((m) => m.forecaster.name === result.chosen)!.params,
      scores,
    };
    // A rerun that chooses differently publishes a new version; the earlier one stays, and we say so.
    const previous = await readPublished(store, kinds.model, date, "model.json");
    const publication = new Publication(store, kinds.model, date, runId);
    const files = {
      "model.json": `${JSON.stringify(choice, null, 2)}\n`,
      "backtest.csv": backtestCsv(scores),
    };
    for (const [name, body] of Object.entries(files)) await publication.put(name, body);
    const seconds = Object.fromEntries(result.scores.map((s) => [s.model, s.seconds]));
    const manifest = await publication.publish(
      {
        inputs: [{ uri: seriesFile.uri, sha256: seriesFile.sha256 }],
        params: { selectBy: config.selectBy, backtestDays: days, backtestDaysRequested: config.backtestDays },
      },
      { chosen: result.chosen, backtestSeconds: seconds, trackerRun: run.link },
    );
    await run.logParams({
      chat: config.chat.key,
      zone: config.zone,
      selectBy: config.selectBy,
      backtestDays: days,
      chosen: result.chosen,
      ...Object.fromEntries(Object.entries(choice.params).map(([k, v]) => [`chosen.${k}`, v])),
    });
    for (const s of result.scores) {
      const { model, days: _d, hours: _h, ...metrics } = s;
      await run.logMetrics(
        Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`backtest.${model}.${k}`, v as number])),
      );
    }
    await logPublished(run, store.uri, manifest, files);
    const replaced =
      previous && previous.manifest.version !== manifest.version
        ? { version: previous.manifest.version, chosen: parsePublished<ModelChoice>(previous).chosen }
        : null;
    if (replaced) {
      log.warn(
        { replaced, version: manifest.version },
        `the model choice for ${date} was already published (version ${replaced.version}, ${replaced.chosen}); version ${manifest.version} (${result.chosen}) now replaces it, and the earlier one stays in the store`,
      );
    }
    log.info({ chosen: result.chosen, selectBy: result.selectBy, days }, "model chosen");
    return {
      chosen: result.chosen,
      selectBy: result.selectBy,
      backtestDays: days,
      backtestDaysRequested: config.backtestDays,
      backtestDaysCapped: capped,
      replaced,
      scores,
    };
  },
};
