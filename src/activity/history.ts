/**
 * Message history as date partitions. Partitions are by **UTC date** of the message: storage does
 * not depend on the reporting zone (changing the zone never re-partitions history), and a local
 * day in any zone spans at most two UTC partitions. Within a partition records are unique by
 * (chatId, messageId) and sorted by (timestamp, chatId, messageId), so re-ingesting the same day is
 * a no-op and the serialized partition is byte-stable.
 */
import type { MessageRecord } from "./types.js";
import { utcDate } from "./zone.js";

function compareRecords(a: MessageRecord, b: MessageRecord): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.chatId !== b.chatId) return a.chatId < b.chatId ? -1 : 1;
  return a.messageId - b.messageId;
}

const keyOf = (r: MessageRecord) => `${r.chatId}\u0000${r.messageId}`;

/**
 * Union of two record lists, de-duplicated by (chatId, messageId) and sorted. On a duplicate the
 * incoming record wins (an edit or a fuller re-fetch replaces the stored one).
 */
export function mergePartition(
  existing: readonly MessageRecord[],
  incoming: readonly MessageRecord[],
): MessageRecord[] {
  const byKey = new Map<string, MessageRecord>();
  for (const r of existing) byKey.set(keyOf(r), r);
  for (const r of incoming) byKey.set(keyOf(r), r);
  return [...byKey.values()].sort(compareRecords);
}

/** Groups records by the UTC date of their timestamp (YYYY-MM-DD), each group merged and sorted. */
export function partitionByUtcDate(records: Iterable<MessageRecord>): Map<string, MessageRecord[]> {
  const groups = new Map<string, MessageRecord[]>();
  for (const r of records) {
    const date = utcDate(r.timestamp);
    const group = groups.get(date);
    if (group) group.push(r);
    else groups.set(date, [r]);
  }
  for (const [date, group] of groups) groups.set(date, mergePartition([], group));
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Drops message texts (the default for stored history: texts are personal data). */
export function withoutText(records: readonly MessageRecord[]): MessageRecord[] {
  return records.map(({ text: _text, ...rest }) => rest);
}

/** One JSON object per line with a fixed key order; empty string for no records. */
export function toJsonl(records: readonly MessageRecord[]): string {
  let out = "";
  for (const r of records) {
    const line: MessageRecord = { chatId: r.chatId, messageId: r.messageId, timestamp: r.timestamp };
    if (r.senderId !== undefined) line.senderId = r.senderId;
    if (r.text !== undefined) line.text = r.text;
    out += `${JSON.stringify(line)}\n`;
  }
  return out;
}

/** Parses `toJsonl` output, validating each line; errors name the line number. */
export function fromJsonl(text: string): MessageRecord[] {
  const out: MessageRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new SyntaxError(`history line ${i + 1}: not JSON`);
    }
    out.push(checkRecord(v, i + 1));
  }
  return out;
}

function checkRecord(v: unknown, line: number): MessageRecord {
  const r = v as Partial<MessageRecord> | null;
  if (
    typeof r !== "object" ||
    r === null ||
    typeof r.chatId !== "string" ||
    !Number.isSafeInteger(r.messageId) ||
    typeof r.timestamp !== "number" ||
    !Number.isFinite(r.timestamp) ||
    (r.senderId !== undefined && typeof r.senderId !== "string") ||
    (r.text !== undefined && typeof r.text !== "string")
  ) {
    throw new TypeError(`history line ${line}: expected {chatId, messageId, timestamp, senderId?, text?}`);
  }
  return r as MessageRecord;
}
