/**
 * Telegram Desktop export (`result.json`) → message records, streamed token by token so a
 * multi-gigabyte export never sits in memory: only one message object is assembled at a time.
 *
 * What counts: `type: "message"` entries (what users sent, any media kind). Service entries
 * (`type: "service"`: joins, pins, title changes) are not user activity and are skipped unless
 * `includeService` is set. `type: "unsupported"` entries are messages the exporting client could
 * not render; they are user content, so they count when they carry a timestamp. The timestamp is
 * `date_unixtime` (UTC); the `date` string is local time without a zone and is never used.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import Assembler from "stream-json/assembler.js";
import { parser, type Token } from "stream-json/parser.js";
import type { MessageRecord } from "../types.js";

export interface ExportOptions {
  /** Count service messages too (default false). */
  includeService?: boolean;
  /** Keep message texts (personal data; default false). */
  includeText?: boolean;
  /** Chat id to record; default the export's top-level `id`. */
  chatId?: string;
}

export interface ExportTally {
  counted: number;
  service: number;
  unsupported: number;
  /** Entries without a usable `date_unixtime`. */
  undated: number;
}

interface ExportEntry {
  id?: unknown;
  type?: unknown;
  date_unixtime?: unknown;
  from_id?: unknown;
  actor_id?: unknown;
  text?: unknown;
}

/** Flattens `text` (a string, or an array of strings and `{type, text}` objects). */
export function exportText(text: unknown): string {
  if (typeof text === "string") return text;
  if (!Array.isArray(text)) return "";
  let out = "";
  for (const part of text) {
    if (typeof part === "string") out += part;
    else if (part && typeof (part as { text?: unknown }).text === "string")
      out += (part as { text: string }).text;
  }
  return out;
}

/**
 * Streams records from an export. `tally` (if given) is filled as entries are read.
 * Throws if no chat id is known when the first message arrives (export without a top-level `id`
 * before `messages` and no `chatId` option).
 */
export async function* readTelegramExport(
  source: Readable | string,
  options: ExportOptions = {},
  tally: ExportTally = { counted: 0, service: 0, unsupported: 0, undated: 0 },
): AsyncGenerator<MessageRecord> {
  const input = typeof source === "string" ? createReadStream(source) : source;
  const tokens = input.pipe(parser.asStream());
  let chatId = options.chatId;
  let depth = 0;
  let topKey: string | null = null;
  let inMessages = false;
  let assembler: Assembler<ExportEntry> | null = null;
  for await (const token of tokens as AsyncIterable<Token>) {
    if (assembler) {
      assembler.consume(token);
      if (assembler.done) {
        const record = toRecord(assembler.current!, chatId, options, tally);
        assembler = null;
        if (record) yield record;
      }
      if (token.name === "startObject" || token.name === "startArray") depth++;
      else if (token.name === "endObject" || token.name === "endArray") depth--;
      continue;
    }
    switch (token.name) {
      case "startObject":
      case "startArray":
        depth++;
        if (inMessages && depth === 3 && token.name === "startObject") {
          if (chatId === undefined)
            throw new Error("Telegram export: no chat id before the messages (pass chatId)");
          assembler = new Assembler<ExportEntry>();
          assembler.consume(token);
        }
        break;
      case "endObject":
      case "endArray":
        depth--;
        if (depth === 1) inMessages = false;
        break;
      case "keyValue":
        if (depth === 1) {
          topKey = token.value!;
          inMessages = false;
        }
        break;
      default:
        // The packed value, not its chunks: the parser streams a long number or string in pieces first.
        if (
          depth === 1 &&
          topKey === "id" &&
          chatId === undefined &&
          (token.name === "numberValue" || token.name === "stringValue")
        )
          chatId = token.value;
        break;
    }
    if (depth === 2 && topKey === "messages" && token.name === "startArray") inMessages = true;
  }
}

function toRecord(
  entry: ExportEntry,
  chatId: string | undefined,
  options: ExportOptions,
  tally: ExportTally,
): MessageRecord | null {
  const type = entry.type;
  if (type === "service") {
    tally.service++;
    if (!options.includeService) return null;
  } else if (type === "unsupported") {
    tally.unsupported++;
  } else if (type !== "message") {
    return null;
  }
  const timestamp = Number(entry.date_unixtime);
  const messageId = Number(entry.id);
  if (
    typeof entry.date_unixtime !== "string" ||
    !Number.isFinite(timestamp) ||
    !Number.isSafeInteger(messageId)
  ) {
    tally.undated++;
    return null;
  }
  const record: MessageRecord = { chatId: chatId!, messageId, timestamp };
  const sender = type === "service" ? entry.actor_id : entry.from_id;
  if (typeof sender === "string") record.senderId = sender;
  if (options.includeText) record.text = exportText(entry.text);
  tally.counted++;
  return record;
}
