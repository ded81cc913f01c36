import type { ActivityConfig } from "../../src/activity/config.js";
import type { DayEvaluation } from "../../src/activity/pipeline/evaluation.js";
import type { ForecastRecord } from "../../src/activity/pipeline/forecast-record.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import { parsePublished, requirePublished } from "../../src/activity/pipeline/published.js";
import { reportCaption } from "../../src/activity/pipeline/report-caption.js";
import { postReportOnce } from "../report-post.js";
import type { TaskDefinition } from "../task.js";
import { activitySettings } from "./settings.js";

interface Options {
  force: boolean;
}

/**
 * report: the morning report of --date (both charts and a caption) to INFLOW_REPORT_CHAT_ID, at
 * most once per chat and date: a sent marker in the store makes reruns skip, and a run that died
 * mid-post refuses to guess (rerun with --force after checking the channel).
 */
export const reportTask: TaskDefinition<Options, ActivityConfig> = {
  pipeline: "activity",
  step: "report",
  describe:
    "Post --date's charts with the metrics and totals to the report chat (TELEGRAM_BOT_TOKEN, INFLOW_REPORT_CHAT_ID)",
  options: (argv) =>
    argv.option("force", {
      type: "boolean",
      default: false,
      describe: "Post even if a marker says the report was (or may have been) posted",
    }),
  settings: activitySettings({ report: true }),
  async run({ date, store, run, log, settings: config }, options) {
    const { chatId } = config.report!;
    const kinds = activityKinds(config.chat.key);
    const yesterdayPng = await requirePublished(store, kinds.charts, date, "yesterday.png", "chart");
    const todayPng = await requirePublished(store, kinds.charts, date, "today.png", "chart");
    const evaluationFile = await requirePublished(
      store,
      kinds.evaluation,
      date,
      "evaluation.json",
      "evaluate",
    );
    const forecastFile = await requirePublished(store, kinds.forecast, date, "forecast.json", "forecast");
    const caption = reportCaption({
      chat: config.chat.ref,
      evaluation: parsePublished<DayEvaluation>(evaluationFile),
      forecast: parsePublished<ForecastRecord>(forecastFile),
      runLink: String(evaluationFile.manifest.stats.trackerRun ?? run.link),
    });
    const outcome = await postReportOnce(store, kinds.reportSent, config.report!, {
      date,
      photos: [
        { png: yesterdayPng.body, filename: `activity-${date}-yesterday.png` },
        { png: todayPng.body, filename: `activity-${date}-today.png` },
      ],
      caption,
      force: options.force,
    });
    await run.logParams({ chat: config.chat.key, reportChat: chatId, decision: outcome.decision });
    log.info({ decision: outcome.decision, messages: outcome.messageIds.length }, "report");
    return { decision: outcome.decision, reportChat: chatId, messageIds: outcome.messageIds };
  },
};
