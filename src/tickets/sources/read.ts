import { InputError } from "../../util/errors.js";
import { formatFromPath, openTicketBytes } from "./bytes.js";
import { readCsvRecords } from "./csv.js";
import { readJsonArrayRecords } from "./json-array.js";
import { readJsonlRecords } from "./jsonl.js";
import type { SourceRecord, TicketSourceOptions } from "./types.js";

export { formatFromPath } from "./bytes.js";
export {
  type RejectReason,
  rejectReasons,
  type SourceRecord,
  type TicketInputFormat,
  type TicketSourceOptions,
} from "./types.js";

/**
 * Streams the tickets of one file, in file order, holding one record at a time.
 *
 * - Format: from the extension (.json, .jsonl/.ndjson, .csv, each optionally .gz) unless given;
 *   gzip is recognised by its magic number, whatever the name.
 * - Fields: `textField`/`idField` are dotted paths into JSON records (column names in CSV). Defaults:
 *   the seed's CFPB export shape (`{_id, _source: {complaint_what_happened, ...}}`, recognised on the
 *   first object record) reads `_source.complaint_what_happened` and `_id`; anything else `text`
 *   and `id`. A record without a usable id is rejected; a file with no id field at all (no id
 *   column, a first record without one) gets ids from each text's sha256 (`DerivedIds`).
 * - Every record comes out: a ticket, or a reject with its 0-based position and a reason (missing,
 *   empty or non-string text, missing or unreadable id, invalid UTF-8, malformed JSON line,
 *   non-object item).
 * - A file that cannot be read as a whole (missing, truncated, wrong format, CSV without the text
 *   column) throws `InputError` naming the file; records before the failure may have been yielded.
 */
export async function* readTickets(
  path: string,
  options: Partial<TicketSourceOptions> = {},
): AsyncGenerator<SourceRecord> {
  const format =
    options.format === undefined || options.format === "auto" ? formatFromPath(path) : options.format;
  try {
    const bytes = await openTicketBytes(path);
    if (format === "csv") yield* readCsvRecords(bytes, options, path);
    else if (format === "jsonl") yield* readJsonlRecords(bytes, options);
    else yield* readJsonArrayRecords(bytes, options);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    // System and zlib errors carry a code; a JSON parse error does not, and then the likeliest
    // mistake is one object per line in a file named .json.
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const hint = code.startsWith("Z_")
      ? " (the gzip data is truncated or corrupt: download or compress the file again)"
      : format === "json" && !hasErrorCode(error)
        ? " (a .json file must hold one JSON array; for one object per line use format jsonl)"
        : "";
    throw new InputError(`cannot read ${format} tickets from ${path}: ${reason}${hint}`, { cause: error });
  }
}

function hasErrorCode(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error;
}
