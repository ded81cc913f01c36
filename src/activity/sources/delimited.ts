/**
 * Generic chat logs: CSV/TSV with a header, or JSONL, of (timestamp, sender, text), optionally `id`;
 * or counts per interval from another system (a time column and a count column, named by the
 * caller). Timestamps are unix seconds (a number) or ISO 8601 with an explicit zone (`Z` or
 * `±hh:mm`); zone-less times are rejected because they are ambiguous. Without an `id` column the
 * message id is derived from (timestamp, sender, text, occurrence), so re-importing the same file
 * de-duplicates and two identical lines in one second stay two messages. A count n becomes n
 * messages at the interval's start with ids derived from (time, 1..n), so it re-imports the same
 * way. Every bad row is reported with its line and column, never as the parser's own message.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { MessageRecord } from "../types.js";

export interface DelimitedOptions {
  format: "csv" | "jsonl";
  chatId: string;
  /** Keep message texts (personal data; default false). */
  includeText?: boolean;
  /** Column holding the time (default `timestamp`). */
  timeField?: string;
  /** Column holding a count per interval: the rows are counts, not messages. */
  countField?: string;
  /** CSV field delimiter (default `,`). */
  delimiter?: string;
}

/** A bad input row, named by its line in the file and, when one is at fault, its column. */
export class RowError extends RangeError {}

const rowError = (line: number, column: string | null, problem: string) =>
  new RowError(`line ${line}${column === null ? "" : `, column "${column}"`}: ${problem}`);

const ZONED_ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Unix seconds from a number, a numeric string, or a zoned ISO 8601 string. */
export function parseTimestamp(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
    if (ZONED_ISO.test(s)) return Date.parse(s.replace(" ", "T")) / 1000;
  }
  throw new RangeError(
    `timestamp must be unix seconds or ISO 8601 with a zone, got ${JSON.stringify(value)}`,
  );
}

export async function* readDelimited(
  source: Readable | string,
  options: DelimitedOptions,
): AsyncGenerator<MessageRecord> {
  const input = typeof source === "string" ? createReadStream(source) : source;
  const { timeField = "timestamp", countField } = options;
  const rows = options.format === "csv" ? csvRows(input, options.delimiter ?? ",") : jsonlRows(input);
  const occurrences = new Map<string, number>();
  let checkedHeader = false;
  for await (const { row, line } of rows) {
    if (!checkedHeader) {
      for (const field of [timeField, ...(countField ? [countField] : [])]) {
        if (!(field in row)) {
          const columns = Object.keys(row).map((c) => JSON.stringify(c));
          throw new RowError(
            `no column "${field}" in the header (columns: ${columns.join(", ")}); ` +
              "name the columns with --time-field and --count-field, the separator with --delimiter",
          );
        }
      }
      checkedHeader = true;
    }
    let timestamp: number;
    try {
      timestamp = parseTimestamp(row[timeField]);
    } catch (e) {
      throw rowError(line, timeField, (e as Error).message);
    }
    if (countField) {
      yield* countMessages(timestamp, row[countField], options.chatId, (problem) =>
        rowError(line, countField, problem),
      );
      continue;
    }
    const sender = row.sender === undefined || row.sender === null ? undefined : String(row.sender);
    const text = typeof row.text === "string" ? row.text : undefined;
    let messageId: number;
    if (row.id !== undefined && row.id !== "") {
      messageId = Number(row.id);
      if (!Number.isSafeInteger(messageId)) throw rowError(line, "id", "id must be an integer");
    } else {
      const key = `${timestamp}\u0000${sender ?? ""}\u0000${text ?? ""}`;
      const nth = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, nth);
      messageId = derivedId(`${key}\u0000${nth}`);
    }
    const record: MessageRecord = { chatId: options.chatId, messageId, timestamp };
    if (sender !== undefined) record.senderId = sender;
    if (options.includeText && text !== undefined) record.text = text;
    yield record;
  }
}

/** Most messages one count row may stand for: a typo, not a chat hour, above this. */
const MAX_COUNT = 1_000_000;

function* countMessages(
  timestamp: number,
  value: unknown,
  chatId: string,
  fail: (problem: string) => RowError,
): Generator<MessageRecord> {
  const count =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw fail(`count must be an integer from 0 to ${MAX_COUNT}, got ${JSON.stringify(value)}`);
  }
  for (let k = 1; k <= count; k++) {
    yield { chatId, messageId: derivedId(`count\u0000${timestamp}\u0000${k}`), timestamp };
  }
}
/** 48 bits of sha256: a safe integer, collisions negligible for any chat's size. */
function derivedId(key: string): number {
  return Number.parseInt(createHash("sha256").update(key).digest("hex").slice(0, 12), 16);
}

interface Row {
  row: Record<string, unknown>;
  /** Line of the file the row ends on. */
  line: number;
}

/**
 * CSV rows as objects keyed by the header. Short and long rows are let through by the parser and
 * refused here with their line, so the message names the row, not the parser's internals.
 */
async function* csvRows(input: Readable, delimiter: string): AsyncGenerator<Row> {
  const parser = input.pipe(
    parse({ delimiter, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  let header: string[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (header === null) {
        header = record;
        continue;
      }
      if (record.length !== header.length) {
        const which =
          record.length < header.length ? `"${header[record.length]}" is missing` : "extra fields";
        throw rowError(
          info.lines,
          null,
          `${record.length} fields but the header has ${header.length} (${which}; delimiter ${JSON.stringify(delimiter)})`,
        );
      }
      yield { row: Object.fromEntries(header.map((name, i) => [name, record[i]])), line: info.lines };
    }
  } catch (error) {
    if (error instanceof RowError) throw error;
    const { lines, code } = error as { lines?: number; code?: string };
    throw new RowError(`line ${lines ?? "?"}: malformed CSV (${code ?? "parse error"})`);
  }
}

async function* jsonlRows(input: Readable): AsyncGenerator<Row> {
  let n = 0;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    if (raw.trim() === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      throw rowError(n, null, "not JSON");
    }
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw rowError(n, null, "expected an object");
    yield { row: v as Record<string, unknown>, line: n };
  }
}
