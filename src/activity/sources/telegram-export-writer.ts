/**
 * Writes records as a Telegram Desktop `result.json` (the shape `readTelegramExport` reads), for the
 * demo and for tests: generated activity can enter the pipeline exactly as a real export would.
 * `date` is the local time of `zone` without an offset, as Desktop writes it.
 */
import type { MessageRecord } from "../types.js";
import { localParts } from "../zone.js";

export interface ExportHeader {
  name: string;
  /** Numeric chat id of the export's top level. */
  id: number;
  type?: string;
  /** Zone of the `date` strings (the exporting machine's). */
  zone?: string;
}

export function telegramExportJson(records: Iterable<MessageRecord>, header: ExportHeader): string {
  const zone = header.zone ?? "UTC";
  const lines: string[] = [];
  for (const r of records) {
    const p = localParts(r.timestamp, zone);
    const pad = (v: number) => String(v).padStart(2, "0");
    const date = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
    const from = r.senderId ?? "user0";
    lines.push(
      JSON.stringify({
        id: r.messageId,
        type: "message",
        date,
        date_unixtime: String(Math.floor(r.timestamp)),
        from: from,
        from_id: from,
        text: r.text ?? "",
        text_entities: r.text ? [{ type: "plain", text: r.text }] : [],
      }),
    );
  }
  const head = JSON.stringify({
    name: header.name,
    type: header.type ?? "private_supergroup",
    id: header.id,
  });
  return `${head.slice(0, -1)},"messages":[\n${lines.join(",\n")}\n]}\n`;
}
