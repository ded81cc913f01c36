import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type ActivityConfig, readActivityConfig } from "../../src/activity/config.js";
import { toJsonl } from "../../src/activity/history.js";
import { type HistorySource, writeHistory } from "../../src/activity/pipeline/history-store.js";
import { activityKinds } from "../../src/activity/pipeline/layout.js";
import { readDelimited } from "../../src/activity/sources/delimited.js";
import { FetchLimitError, fetchChatWindow } from "../../src/activity/sources/live-history.js";
import { type ExportTally, readTelegramExport } from "../../src/activity/sources/telegram-export.js";
import type { MessageRecord } from "../../src/activity/types.js";
import { addDays, localDayRange, zonedMidnight } from "../../src/activity/zone.js";
import { InputError } from "../../src/util/errors.js";
import { sha256, sha256File } from "../../src/util/hash.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  export?: string;
  csv?: string;
  jsonl?: string;
  live: boolean;
  days?: number;
  limit: number;
  "time-field": string;
  "count-field"?: string;
  delimiter?: string;
}

interface Ingested {
  records: MessageRecord[];
  source: HistorySource;
  /** Messages read but left out: at or after the logical date's midnight, or before --days. */
  outsideWindow: number;
  tally?: ExportTally;
}

/**
 * ingest: chat messages into the history partitions. From a file (Desktop export, CSV, JSONL): every
 * message before the logical date (or its last --days days). Live: the day before the logical date.
 */
export const ingestTask: TaskDefinition<Options, ActivityConfig> = {
  pipeline: "activity",
  step: "ingest",
  describe:
    "Store a chat's messages (before --date) as history partitions: --export, --csv, --jsonl or --live",
  options: (argv) =>
    argv
      .option("export", { type: "string", describe: "Telegram Desktop export (result.json)" })
      .option("csv", {
        type: "string",
        describe: "CSV/TSV with a header: timestamp, sender, text[, id]; or counts (--count-field)",
      })
      .option("time-field", {
        type: "string",
        default: "timestamp",
        describe: "--csv/--jsonl: column of the time (unix seconds or ISO 8601 with a zone)",
      })
      .option("count-field", {
        type: "string",
        describe: "--csv/--jsonl: column of a count per interval (hourly or finer): rows are counts",
      })
      .option("delimiter", {
        type: "string",
        describe: '--csv: field delimiter, e.g. ";" or tab (default: tab for .tsv, else ",")',
      })
      .option("jsonl", { type: "string", describe: "JSON lines with timestamp, sender, text[, id]" })
      .option("live", {
        type: "boolean",
        default: false,
        describe: "Fetch the day before --date over MTProto (TELEGRAM_API_ID/HASH/SESSION)",
      })
      .option("days", { type: "number", describe: "From a file, only the last N local days before --date" })
      .option("limit", {
        type: "number",
        default: 100_000,
        describe: "Live: most messages fetched for one day",
      }),
  settings: (env, options, problems) => readActivityConfig(env, { live: options.live }, {}, problems),
  async run({ date, runId, store, run, log, settings: config }, options) {
    const chosen = [options.export, options.csv, options.jsonl, options.live || undefined].filter(Boolean);
    if (chosen.length !== 1)
      throw new InputError("choose exactly one source: --export, --csv, --jsonl or --live");
    const until = zonedMidnight(date, config.zone);
    const from =
      options.days === undefined
        ? Number.NEGATIVE_INFINITY
        : zonedMidnight(addDays(date, -options.days), config.zone);
    const ingested = options.live
      ? await ingestLive(config, date, options.limit)
      : await ingestFile(config, options, from, until);
    const kinds = activityKinds(config.chat.key);
    const written = await writeHistory(store, kinds.history, ingested.records, {
      runId,
      source: ingested.source,
      keepText: config.keepText,
    });
    const stats = {
      chat: config.chat.key,
      source: ingested.source.uri,
      messages: ingested.records.length,
      outsideWindow: ingested.outsideWindow,
      partitionsWritten: written.written.length,
      partitionsUnchanged: written.unchanged.length,
      ...(ingested.tally
        ? {
            serviceSkipped: ingested.tally.service,
            unsupportedCounted: ingested.tally.unsupported,
            undated: ingested.tally.undated,
          }
        : {}),
    };
    await run.logParams({
      chat: config.chat.key,
      zone: config.zone,
      source: ingested.source.uri,
      keepText: config.keepText,
    });
    await run.logMetrics({
      messages: stats.messages,
      outsideWindow: stats.outsideWindow,
      partitionsWritten: stats.partitionsWritten,
      partitionsUnchanged: stats.partitionsUnchanged,
    });
    log.info(stats, "ingested");
    return {
      ...stats,
      firstPartition: written.written[0] ?? null,
      lastPartition: written.written.at(-1) ?? null,
    };
  },
};

async function ingestFile(
  config: ActivityConfig,
  options: Options,
  from: number,
  until: number,
): Promise<Ingested> {
  const path = resolve((options.export ?? options.csv ?? options.jsonl)!);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new InputError(`no such file: ${path}`);
  const tally: ExportTally = { counted: 0, service: 0, unsupported: 0, undated: 0 };
  const reader = options.export
    ? readTelegramExport(path, { includeText: config.keepText }, tally)
    : readDelimited(path, {
        format: options.csv ? "csv" : "jsonl",
        chatId: config.chat.key,
        includeText: config.keepText,
        timeField: options["time-field"],
        ...(options["count-field"] === undefined ? {} : { countField: options["count-field"] }),
        delimiter: csvDelimiter(options.delimiter, path),
      });
  const records: MessageRecord[] = [];
  let outsideWindow = 0;
  try {
    for await (const record of reader) {
      if (options.export) checkExportChat(record.chatId, config);
      if (record.timestamp < from || record.timestamp >= until) {
        outsideWindow++;
        continue;
      }
      // One chat, one key: records from every source of this chat de-duplicate against each other.
      records.push({ ...record, chatId: config.chat.key });
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return {
    records,
    source: { uri: `file://${path}`, sha256: await sha256File(path) },
    outsideWindow,
    ...(options.export ? { tally } : {}),
  };
}

/** The --delimiter as given ("tab" and "\\t" name a tab); without one, a tab for .tsv/.tab files. */
function csvDelimiter(given: string | undefined, path: string): string {
  if (given === undefined) return /\.(tsv|tab)$/i.test(path) ? "\t" : ",";
  const delimiter = given === "tab" || given === "\\t" ? "\t" : given;
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new InputError(`--delimiter must be one character (or "tab"), got ${JSON.stringify(given)}`);
  }
  return delimiter;
}

/**
 * A numeric configured chat must match the export's id. Desktop writes the bare id; the Bot API and
 * MTProto mark channels and supergroups as -100<id> and basic groups as -<id>.
 */
function checkExportChat(exportId: string, config: ActivityConfig): void {
  if (!/^-?\d+$/.test(config.chat.key)) return;
  const bare = (id: string) => id.replace(/^-100(?=\d{6,})/, "").replace(/^-/, "");
  if (bare(exportId) !== bare(config.chat.key)) {
    throw new InputError(`the export is of chat ${exportId}, but INFLOW_ACTIVITY_CHAT is ${config.chat.ref}`);
  }
}

async function ingestLive(config: ActivityConfig, date: string, limit: number): Promise<Ingested> {
  // gramjs is heavy to load: only the live path imports it.
  const { connectGramjs, gramjsHistoryClient } = await import("../../src/activity/sources/gramjs.js");
  const window = localDayRange(addDays(date, -1), config.zone);
  const client = await connectGramjs(config.live!);
  try {
    const fetched = await fetchChatWindow(gramjsHistoryClient(client), config.chat.ref, {
      ...window,
      limit,
      includeText: config.keepText,
    });
    const records = fetched.map((r) => ({ ...r, chatId: config.chat.key }));
    return {
      records,
      source: {
        uri: `telegram:${config.chat.key}@${window.from}-${window.to}`,
        sha256: sha256(toJsonl(records)),
      },
      outsideWindow: 0,
    };
  } catch (error) {
    if (error instanceof FetchLimitError) throw new InputError(`${error.message} (--limit)`);
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  } finally {
    // destroy, not disconnect: it also stops the update loop that would keep the process alive.
    await client.destroy();
  }
}
