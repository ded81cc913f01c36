/**
 * Generic chat logs: CSV with a header, or JSONL, of (timestamp, sender, text), optionally `id`.
 * Timestamps are unix seconds (a number) or ISO 8601 with an explicit zone (`Z` or `±hh:mm`);
 * zone-less times are rejected because they are ambiguous. Without an `id` column the message id
 * is derived from (timestamp, sender, text, occurrence), so re-importing the same file de-duplicates
 * and two identical lines in one second stay two messages.
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
}

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
  const rows: AsyncIterable<Record<string, unknown>> =
    options.format === "csv"
      ? input.pipe(parse({ columns: true, trim: true, skip_empty_lines: true }))
      : jsonlRows(input);
  const occurrences = new Map<string, number>();
  let line = 1;
  for await (const row of rows) {
    line++;
    let timestamp: number;
    try {
      timestamp = parseTimestamp(row.timestamp);
    } catch (e) {
      throw new RangeError(`row ${line - 1}: ${(e as Error).message}`);
    }
    const sender = row.sender === undefined || row.sender === null ? undefined : String(row.sender);
    const text = typeof row.text === "string" ? row.text : undefined;
    let messageId: number;
    if (row.id !== undefined && row.id !== "") {
      messageId = Number(row.id);
      if (!Number.isSafeInteger(messageId)) throw new RangeError(`row ${line - 1}: id must be an integer`);
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

/** 48 bits of sha256: a safe integer, collisions negligible for any chat's size. */
function derivedId(key: string): number {
  return Number.parseInt(createHash("sha256").update(key).digest("hex").slice(0, 12), 16);
}

async function* jsonlRows(input: Readable): AsyncGenerator<Record<string, unknown>> {
  let n = 0;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    if (raw.trim() === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      throw new SyntaxError(`line ${n}: not JSON`);
    }
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new TypeError(`line ${n}: expected an object`);
    yield v as Record<string, unknown>;
  }
}
