import type { ReportConfig } from "../src/activity/config.js";
import { StoreMarkerStore } from "../src/activity/pipeline/marker-store.js";
import type { ArtifactStore } from "../src/store/store.js";
import { createBotApi, type ReportPhoto, ReportRejectedError, sendReport } from "../src/telegram/bot.js";
import { InputError } from "../src/util/errors.js";

/**
 * Posts a morning report at most once per (report chat, date), with the sent markers under
 * `markerPrefix` in the store. A rejected post (a 4xx other than 429: chat not found, bot not a
 * member) and a run that may already have posted are exit 2: retrying would not fix the one and
 * could double-post the other.
 */
export async function postReportOnce(
  store: ArtifactStore,
  markerPrefix: string,
  config: ReportConfig,
  report: { date: string; photos: ReportPhoto[]; caption: string; force: boolean },
) {
  const { botToken, chatId, apiRoot } = config;
  const api = createBotApi({ token: botToken, ...(apiRoot ? { apiRoot } : {}) });
  const markers = new StoreMarkerStore(store, markerPrefix);
  let outcome: Awaited<ReturnType<typeof sendReport>>;
  try {
    outcome = await sendReport(api, markers, { chatId, ...report });
  } catch (error) {
    if (error instanceof ReportRejectedError && error.errorCode !== 429 && error.errorCode < 500)
      throw new InputError(error.message);
    throw error;
  }
  if (outcome.decision === "refuse-uncertain") {
    throw new InputError(
      `a previous run may have posted the report of ${report.date} to ${chatId} (marker ${store.uri}/${markers.key(chatId, report.date)} says "sending"): check the chat, then rerun with --force to post`,
    );
  }
  return outcome;
}
