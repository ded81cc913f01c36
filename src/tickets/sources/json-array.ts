import { pipeline, type Readable } from "node:stream";
import streamArray from "stream-json/streamers/stream-array.js";
import { type FieldPlan, planFields, recordFromJson } from "./fields.js";
import type { SourceRecord, TicketSourceOptions } from "./types.js";

interface ArrayItem {
  key: number;
  value: unknown;
}

/**
 * Items of a top-level JSON array, one at a time (stream-json holds only the current item).
 * The parser decodes bytes with replacement, so invalid UTF-8 is detected per record as U+FFFD in
 * the strings taken out (see `recordFromJson`).
 */
export async function* readJsonArrayRecords(
  bytes: Readable,
  options: Partial<TicketSourceOptions>,
): AsyncGenerator<SourceRecord> {
  const items = pipeline(bytes, streamArray.withParserAsStream(), () => {});
  let plan: FieldPlan | undefined;
  for await (const { key, value } of items as AsyncIterable<ArrayItem>) {
    if (plan === undefined && typeof value === "object" && value !== null && !Array.isArray(value)) {
      plan = planFields(options, value as Record<string, unknown>);
    }
    yield recordFromJson(value, key, plan ?? planFields(options, null));
  }
}
