import { type ReportConfig, readReportConfig } from "../../src/activity/config.js";
import { parsePublished, requirePublished } from "../../src/activity/pipeline/published.js";
import type { LoadForecastRecord } from "../../src/tickets/load-forecast.js";
import { loadReportCaption, reportChartNames } from "../../src/tickets/load-report.js";
import { postReportOnce } from "../report-post.js";
import type { TaskDefinition } from "../task.js";
import { loadForecastKind } from "./forecast.js";

interface Options {
  force: boolean;
}

/** Sent markers of the load report, one per report chat and date. */
export const loadReportSentKind = "tickets/load-report-sent";

/**
 * report: --date's ticket-load forecast (the busiest departments' charts and a caption) to
 * INFLOW_REPORT_CHAT_ID, at most once per chat and date, with the same sent markers as the chat
 * activity report.
 */
export const reportTask: TaskDefinition<Options, ReportConfig> = {
  pipeline: "tickets",
  step: "report",
  describe:
    "Post --date's ticket-load forecast per department (charts and caption) to the report chat (TELEGRAM_BOT_TOKEN, INFLOW_REPORT_CHAT_ID)",
  options: (argv) =>
    argv.option("force", {
      type: "boolean",
      default: false,
      describe: "Post even if a marker says the report was (or may have been) posted",
    }),
  settings: (env, _options, problems) => readReportConfig(env, problems),
  async run({ date, store, run, log, settings: config }, options) {
    const file = await requirePublished(
      store,
      loadForecastKind,
      date,
      "load-forecast.json",
      "forecast",
      "tickets",
    );
    const record = parsePublished<LoadForecastRecord>(file);
    const photos = [];
    for (const name of reportChartNames(record)) {
      const chart = await requirePublished(store, loadForecastKind, date, name, "forecast", "tickets");
      photos.push({ png: chart.body, filename: `load-${date}-${name.slice("chart-".length)}` });
    }
    const caption = loadReportCaption(record, String(file.manifest.stats.trackerRun ?? run.link));
    const outcome = await postReportOnce(store, loadReportSentKind, config, {
      date,
      photos,
      caption,
      force: options.force,
    });
    await run.logParams({ reportChat: config.chatId, decision: outcome.decision, charts: photos.length });
    log.info({ decision: outcome.decision, messages: outcome.messageIds.length }, "load report");
    return {
      decision: outcome.decision,
      reportChat: config.chatId,
      charts: photos.length,
      messageIds: outcome.messageIds,
    };
  },
};
