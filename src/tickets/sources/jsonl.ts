import type { Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { type FieldPlan, planFields, recordFromJson } from "./fields.js";
import { rejectReasons, type SourceRecord, type TicketSourceOptions } from "./types.js";

const newline = 0x0a;

/**
 * One record per non-blank line; blank lines are no records and take no position. Each line's
 * bytes are decoded strictly, so invalid UTF-8 rejects exactly that line, as does a line that is
 * not valid JSON; reading goes on with the next line.
 */
export async function* readJsonlRecords(
  bytes: Readable,
  options: Partial<TicketSourceOptions>,
): AsyncGenerator<SourceRecord> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let plan: FieldPlan | undefined;
  let position = 0;
  for await (const line of lines(bytes)) {
    let text: string;
    try {
      text = decoder.decode(line);
    } catch {
      yield { kind: "reject", position: position++, reason: rejectReasons.invalidUtf8 };
      continue;
    }
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { kind: "reject", position: position++, reason: rejectReasons.malformedJson };
      continue;
    }
    if (plan === undefined && typeof value === "object" && value !== null && !Array.isArray(value)) {
      plan = planFields(options, value as Record<string, unknown>);
    }
    yield recordFromJson(value, position++, plan ?? planFields(options, null));
  }
}

/**
 * Splits a byte stream on "\n" without decoding, holding only the current line's pieces; a "\r"
 * before the newline is dropped.
 */
async function* lines(bytes: Readable): AsyncGenerator<Buffer> {
  let pieces: Buffer[] = [];
  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    let start = 0;
    let end = chunk.indexOf(newline, start);
    while (end !== -1) {
      const tail = chunk.subarray(start, end);
      yield withoutCarriageReturn(pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]));
      pieces = [];
      start = end + 1;
      end = chunk.indexOf(newline, start);
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  if (pieces.length > 0) yield withoutCarriageReturn(Buffer.concat(pieces));
}

function withoutCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
