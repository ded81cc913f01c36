/**
 * Configuration of the activity pipeline, from the environment (CLI options override), validated
 * once with every problem listed in one `ConfigError`. Credentials are only checked when the step
 * needs them (live history for `ingest --live`, the bot for `report`) and never echoed.
 */
import { Type } from "@sinclair/typebox";
import { OneOf, readSettings, setting, Text } from "../config/variables.js";
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
  report?: ReportConfig;
}

export interface ReportConfig {
  botToken: string;
  chatId: string;
  apiRoot?: string;
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

const activitySettings = {
  zone: setting(activityEnv.zone, Text(), "UTC"),
  keepText: setting(activityEnv.keepText, Type.Boolean(), false),
  selectBy: setting(activityEnv.selectBy, OneOf(selectionMetrics), "crps"),
  backtestDays: setting(
    activityEnv.backtestDays,
    Type.Integer({ minimum: 1, description: "a positive integer" }),
    365,
  ),
};

/**
 * Reads the activity configuration, adding every problem to `problems`: the task runner lists them with
 * the common configuration's in one ConfigError.
 */
export function readActivityConfig(
  env: NodeJS.ProcessEnv,
  needs: ActivityNeeds,
  overrides: ActivityOverrides,
  problems: string[],
): ActivityConfig {
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
  const fromEnv = readSettings(env, activitySettings, problems);
  const zone = overrides.zone ?? fromEnv.zone;
  try {
    assertTimeZone(zone);
  } catch {
    problems.push(`${activityEnv.zone}: unknown IANA time zone "${zone}" (e.g. UTC, Europe/Berlin)`);
  }
  const selectBy = (overrides.selectBy ?? fromEnv.selectBy) as SelectionMetric;
  if (!selectionMetrics.includes(selectBy)) {
    problems.push(`--select-by must be one of ${selectionMetrics.join(", ")}, got "${selectBy}"`);
  }
  const backtestDays = overrides.backtestDays ?? fromEnv.backtestDays;
  if (!Number.isInteger(backtestDays) || backtestDays < 1)
    problems.push("--backtest-days must be a positive integer");

  const config: ActivityConfig = { chat, zone, keepText: fromEnv.keepText, selectBy, backtestDays };
  if (needs.live) {
    const apiId = Number(env[activityEnv.apiId]);
    if (!Number.isSafeInteger(apiId) || apiId <= 0)
      problems.push(`${activityEnv.apiId} is required for --live (a positive integer)`);
    if (!env[activityEnv.apiHash]) problems.push(`${activityEnv.apiHash} is required for --live`);
    if (!env[activityEnv.session])
      problems.push(`${activityEnv.session} is required for --live (a gramjs StringSession)`);
    config.live = { apiId, apiHash: env[activityEnv.apiHash] ?? "", session: env[activityEnv.session] ?? "" };
  }
  if (needs.report) config.report = readReportConfig(env, problems);
  return config;
}

/** The bot and chat a morning report is posted with (TELEGRAM_BOT_TOKEN, INFLOW_REPORT_CHAT_ID, TELEGRAM_API_ROOT). */
export function readReportConfig(env: NodeJS.ProcessEnv, problems: string[]): ReportConfig {
  const botToken = env[activityEnv.botToken] ?? "";
  if (!/^\d+:[\w-]+$/.test(botToken)) problems.push(`${activityEnv.botToken} is missing or not a bot token`);
  const chatId = env[activityEnv.reportChat] ?? "";
  if (!/^(-?\d+|@[A-Za-z][A-Za-z0-9_]{3,31})$/.test(chatId)) {
    problems.push(`${activityEnv.reportChat} is required: a numeric chat id or @channelusername`);
  }
  const apiRoot = env[activityEnv.apiRoot];
  if (apiRoot !== undefined && !/^https?:\/\/[^\s/]+/.test(apiRoot)) {
    problems.push(`${activityEnv.apiRoot} must be an http(s) URL`);
  }
  return { botToken, chatId, ...(apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, "") } : {}) };
}
