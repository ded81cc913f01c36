/**
 * Configuration of the activity pipeline, from the environment (CLI options override), validated
 * once with every problem listed in one `ConfigError`. Credentials are only checked when the step
 * needs them (live history for `ingest --live`, the bot for `report`) and never echoed.
 */
import { ConfigError } from "../util/errors.js";
import type { SelectionMetric } from "./backtest.js";
import { assertTimeZone } from "./zone.js";

export interface ChatRef {
  /** As configured: a t.me link, @username, username or numeric id. */
  ref: string;
  /** Stable store key derived from it (lower-case username or the numeric id). */
  key: string;
}

export interface ActivityConfig {
  chat: ChatRef;
  /** IANA zone the days are cut in (the seed: UTC). */
  zone: string;
  /** Keep message texts in stored history (personal data: off unless opted in). */
  keepText: boolean;
  selectBy: SelectionMetric;
  backtestDays: number;
  live?: { apiId: number; apiHash: string; session: string };
  report?: { botToken: string; chatId: string; apiRoot?: string };
}

export interface ActivityNeeds {
  live?: boolean;
  report?: boolean;
}

export type ActivityOverrides = Partial<{
  chat: string;
  zone: string;
  selectBy: string;
  backtestDays: number;
}>;

export const activityEnv = {
  chat: "INFLOW_ACTIVITY_CHAT",
  zone: "INFLOW_ACTIVITY_TIME_ZONE",
  keepText: "INFLOW_ACTIVITY_KEEP_TEXT",
  selectBy: "INFLOW_ACTIVITY_SELECT_BY",
  backtestDays: "INFLOW_ACTIVITY_BACKTEST_DAYS",
  reportChat: "INFLOW_REPORT_CHAT_ID",
  botToken: "TELEGRAM_BOT_TOKEN",
  apiRoot: "TELEGRAM_API_ROOT",
  apiId: "TELEGRAM_API_ID",
  apiHash: "TELEGRAM_API_HASH",
  session: "TELEGRAM_SESSION",
} as const;

export const selectionMetrics: readonly SelectionMetric[] = [
  "rmse",
  "rmseMean",
  "mae",
  "smape",
  "dailySmape",
  "crps",
];

/**
 * A chat reference as a store key: links and @names become the lower-case username (usernames are
 * case-insensitive), numeric ids stay as written. Invite links name no chat and are refused.
 */
export function chatKey(ref: string): string {
  const s = ref.trim();
  if (/^-?\d+$/.test(s)) return s;
  if (/t\.me\/(\+|joinchat\/)/i.test(s)) {
    throw new RangeError("invite links name no chat; join it and use its @username or numeric id");
  }
  const link = /^(?:https?:\/\/)?(?:www\.)?t(?:elegram)?\.me\/([A-Za-z0-9_]+)\/?$/i.exec(s);
  const name = link ? link[1]! : s.replace(/^@/, "");
  if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name)) {
    throw new RangeError(`not a t.me link, @username or numeric id: "${ref}"`);
  }
  return name.toLowerCase();
}

/** Reads the activity configuration; throws one ConfigError naming every problem. */
export function loadActivityConfig(
  env: NodeJS.ProcessEnv = process.env,
  needs: ActivityNeeds = {},
  overrides: ActivityOverrides = {},
): ActivityConfig {
  const problems: string[] = [];
  const chatRef = overrides.chat ?? env[activityEnv.chat] ?? "";
  let chat: ChatRef = { ref: chatRef, key: "" };
  if (!chatRef) problems.push(`${activityEnv.chat} is required (a t.me link, @username or chat id)`);
  else {
    try {
      chat = { ref: chatRef, key: chatKey(chatRef) };
    } catch (error) {
      problems.push(`${activityEnv.chat}: ${(error as Error).message}`);
    }
  }

  const zone = overrides.zone ?? env[activityEnv.zone] ?? "UTC";
  try {
    assertTimeZone(zone);
  } catch {
    problems.push(`${activityEnv.zone}: unknown IANA time zone "${zone}" (e.g. UTC, Europe/Berlin)`);
  }

  const keepTextText = (env[activityEnv.keepText] ?? "false").toLowerCase();
  if (!["true", "false", "1", "0", "yes", "no"].includes(keepTextText)) {
    problems.push(`${activityEnv.keepText} must be true or false`);
  }
  const keepText = ["true", "1", "yes"].includes(keepTextText);

  const selectBy = (overrides.selectBy ?? env[activityEnv.selectBy] ?? "rmse") as SelectionMetric;
  if (!selectionMetrics.includes(selectBy)) {
    problems.push(`${activityEnv.selectBy} must be one of ${selectionMetrics.join(", ")}, got "${selectBy}"`);
  }

  const backtestDays = overrides.backtestDays ?? Number(env[activityEnv.backtestDays] ?? 365);
  if (!Number.isInteger(backtestDays) || backtestDays < 1) {
    problems.push(`${activityEnv.backtestDays} must be a positive integer`);
  }

  const config: ActivityConfig = { chat, zone, keepText, selectBy, backtestDays };
  if (needs.live) {
    const apiId = Number(env[activityEnv.apiId]);
    if (!Number.isSafeInteger(apiId) || apiId <= 0)
      problems.push(`${activityEnv.apiId} is required for --live (a positive integer)`);
    if (!env[activityEnv.apiHash]) problems.push(`${activityEnv.apiHash} is required for --live`);
    if (!env[activityEnv.session])
      problems.push(`${activityEnv.session} is required for --live (a gramjs StringSession)`);
    config.live = { apiId, apiHash: env[activityEnv.apiHash] ?? "", session: env[activityEnv.session] ?? "" };
  }
  if (needs.report) {
    const botToken = env[activityEnv.botToken] ?? "";
    if (!/^\d+:[\w-]+$/.test(botToken))
      problems.push(`${activityEnv.botToken} is missing or not a bot token`);
    const chatId = env[activityEnv.reportChat] ?? "";
    if (!/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,31})$/.test(chatId)) {
      problems.push(`${activityEnv.reportChat} is required: a numeric chat id or @channelusername`);
    }
    const apiRoot = env[activityEnv.apiRoot];
    if (apiRoot !== undefined && !/^https?:\/\/[^\s/]+/.test(apiRoot)) {
      problems.push(`${activityEnv.apiRoot} must be an http(s) URL`);
    }
    config.report = { botToken, chatId, ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, "") } : {}) };
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid activity configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return config;
}
