/**
 * The morning report through the Bot API with grammY: two PNG charts as one album (sendMediaGroup)
 * with an HTML caption on the first photo. Rate limits (429 + retry_after) and 5xx are retried by
 * grammY's auto-retry plugin (retry_after honoured exactly; 5xx with exponential backoff from 3 s);
 * 4xx other than 429 fail at once. Posting is idempotent per (chat, date): see `sent-marker.ts`.
 * The bot token is only ever passed to grammY, never logged or put in errors.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, GrammyError, InputFile } from "grammy";
import { CAPTION_LIMIT, visibleLength } from "./caption.js";
import { decideReport, type ReportDecision, type SentMarkerStore } from "./sent-marker.js";

export interface BotOptions {
  token: string;
  /** Bot API root, e.g. a local Bot API server or a test double; default https://api.telegram.org. */
  apiRoot?: string;
  /** Retries per call (default 5). */
  maxRetryAttempts?: number;
  /** A retry_after above this fails the call instead of waiting (default 600 s). */
  maxDelaySeconds?: number;
}

export function createBotApi({
  token,
  apiRoot,
  maxRetryAttempts = 5,
  maxDelaySeconds = 600,
}: BotOptions): Api {
  const api = new Api(token, apiRoot ? { apiRoot } : undefined);
  api.config.use(autoRetry({ maxRetryAttempts, maxDelaySeconds }));
  return api;
}

export interface ReportPhoto {
  png: Uint8Array;
  filename: string;
}

export interface Report {
  chatId: string;
  /** Logical date the report is for (the idempotency key with the chat). */
  date: string;
  photos: ReportPhoto[];
  /** HTML caption, ≤ 1024 visible characters (see `fitCaption`). */
  caption: string;
  /** Post even if a marker says it was (or may have been) posted. */
  force?: boolean;
}

export interface ReportOutcome {
  decision: ReportDecision;
  messageIds: number[];
}

export class ReportRejectedError extends Error {
  constructor(
    readonly errorCode: number,
    description: string,
  ) {
    super(`Telegram rejected the report (${errorCode}): ${description}`);
  }
}

export async function sendReport(api: Api, markers: SentMarkerStore, report: Report): Promise<ReportOutcome> {
  if (report.photos.length < 1 || report.photos.length > 10)
    throw new RangeError("a report has 1 to 10 photos");
  if (visibleLength(report.caption) > CAPTION_LIMIT)
    throw new RangeError(`caption exceeds ${CAPTION_LIMIT} characters`);
  const { chatId, date } = report;
  const decision = decideReport(await markers.get(chatId, date), report.force);
  if (decision !== "send") return { decision, messageIds: [] };

  await markers.put({ chatId, date, state: "sending", at: new Date().toISOString() });
  let messageIds: number[];
  try {
    messageIds = await post(api, report);
  } catch (error) {
    if (error instanceof GrammyError) {
      // Telegram answered with an error: nothing was posted, a rerun may try again.
      await markers.put({
        chatId,
        date,
        state: "failed",
        at: new Date().toISOString(),
        error: error.description,
      });
      throw new ReportRejectedError(error.error_code, error.description);
    }
    throw error; // network failure after retries: the marker stays "sending" (outcome unknown)
  }
  await markers.put({ chatId, date, state: "sent", at: new Date().toISOString(), messageIds });
  return { decision, messageIds };
}

async function post(api: Api, { chatId, photos, caption }: Report): Promise<number[]> {
  if (photos.length === 1) {
    const m = await api.sendPhoto(chatId, new InputFile(photos[0]!.png, photos[0]!.filename), {
      caption,
      parse_mode: "HTML",
    });
    return [m.message_id];
  }
  const media = photos.map((p, i) => ({
    type: "photo" as const,
    media: new InputFile(p.png, p.filename),
    ...(i === 0 ? { caption, parse_mode: "HTML" as const } : {}),
  }));
  const sent = await api.sendMediaGroup(chatId, media);
  return sent.map((m) => m.message_id);
}
