import { stat } from "node:fs/promises";
import { InputError } from "../util/errors.js";
import { formatFromPath, readTickets, type TicketSourceOptions } from "./sources/read.js";

/** How a raw file is read: what ingest checked it with, and what preprocess reads it with. */
export interface RawReading {
  format: Exclude<TicketSourceOptions["format"], "auto">;
  textField?: string;
  idField?: string;
  delimiter?: string;
}

export interface IngestCheck {
  tickets: number;
  rejected: number;
  rejectReasons: Record<string, number>;
}

/**
 * Reads a whole file the way preprocess will (encoding, gzip to its end, format, fields, every row)
 * before it is stored: raw input is never modified, so a file nothing can read must not get in.
 * Refused: an empty file, one that cannot be parsed, one without tickets, one whose ids repeat (the
 * wrong --id-field, or a file concatenated twice), and one whose share of rejected rows exceeds what
 * preprocess accepts.
 */
export async function checkTicketFile(
  path: string,
  reading: Partial<RawReading>,
  maxRejectShare: number,
): Promise<{ reading: RawReading; check: IngestCheck }> {
  const info = await stat(path).catch((error) => {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  });
  if (!info.isFile()) throw new InputError(`${path} is not a file`);
  if (info.size === 0) throw new InputError(`${path} is empty: export the tickets again; nothing was stored`);
  const resolved: RawReading = { ...reading, format: reading.format ?? formatFromPath(path) };
  const check: IngestCheck = { tickets: 0, rejected: 0, rejectReasons: {} };
  const ids = new Set<string>();
  const repeated: string[] = [];
  for await (const record of readTickets(path, resolved)) {
    if (record.kind === "ticket") {
      check.tickets++;
      if (ids.has(record.id)) repeated.push(record.id);
      ids.add(record.id);
    } else {
      check.rejected++;
      check.rejectReasons[record.reason] = (check.rejectReasons[record.reason] ?? 0) + 1;
    }
  }
  const total = check.tickets + check.rejected;
  const fields = `the text is read from "${resolved.textField ?? "text"}" (--text-field), the id from "${resolved.idField ?? "id"}" (--id-field)`;
  if (check.tickets === 0) {
    throw new InputError(
      `${path} holds no readable tickets (${total} rows, rejected: ${JSON.stringify(check.rejectReasons)}); ${fields}; nothing was stored`,
    );
  }
  if (repeated.length > 0) {
    throw new InputError(
      `${path}: ${repeated.length === 1 ? "1 ticket repeats" : `${repeated.length} tickets repeat`} an id (${JSON.stringify(repeated.slice(0, 3))}${repeated.length > 3 ? "…" : ""}); ${fields}; pick the field that identifies a ticket; nothing was stored`,
    );
  }
  if (check.rejected / total > maxRejectShare) {
    throw new InputError(
      `${path}: ${check.rejected} of ${total} rows cannot be read as tickets (${JSON.stringify(check.rejectReasons)}), more than --max-reject-share ${maxRejectShare}; ${fields}; nothing was stored`,
    );
  }
  return { reading: resolved, check };
}
