import { pipeline, type Readable } from "node:stream";
import { TextDecoder } from "node:util";
import { parse } from "csv-parse";
import { InputError } from "../../util/errors.js";
import { DerivedIds, knownId, readId, ticketOrReject } from "./fields.js";
import { rejectReasons, type SourceRecord, type TicketSourceOptions } from "./types.js";

/**
 * CSV with a header row. Fields come out of the parser as raw bytes and are decoded strictly per
 * row, so invalid UTF-8 rejects that row only. A row with an empty id is quarantined ("missing id"). Columns are named exactly (no dotted paths); a row
 * with too few columns is read with the missing ones absent. Blank lines are skipped.
 */
export async function* readCsvRecords(
  bytes: Readable,
  options: Partial<TicketSourceOptions>,
  path: string,
): AsyncGenerator<SourceRecord> {
  const rows = pipeline(
    bytes,
    parse({
      encoding: null,
      relax_column_count: true,
      skip_empty_lines: true,
      ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    }),
    () => {},
  ) as AsyncIterable<Buffer[]>;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let columns: Columns | undefined;
  let position = 0;
  for await (const row of rows) {
    if (columns === undefined) {
      columns = columnsOf(row, decoder, options, path);
      continue;
    }
    yield recordFromRow(row, position++, columns, decoder);
  }
  if (columns === undefined) throw new InputError(`${path} has no CSV header row`);
}

interface Columns {
  text: number;
  /** −1 when the file has no id column: its tickets get ids derived from their text. */
  id: number;
  derivedIds: DerivedIds | null;
  carry: { name: string; index: number }[];
}

function columnsOf(
  header: Buffer[],
  decoder: TextDecoder,
  options: Partial<TicketSourceOptions>,
  path: string,
): Columns {
  let names: string[];
  try {
    names = header.map((field) => decoder.decode(field)); // also drops a leading byte-order mark
  } catch {
    throw new InputError(`the CSV header of ${path} is not valid UTF-8`);
  }
  const required = (name: string): number => {
    const index = names.indexOf(name);
    if (index === -1) {
      throw new InputError(
        `${path} has no column "${name}"; its columns are ${JSON.stringify(names)}${delimiterHint(names, options.delimiter)}`,
      );
    }
    return index;
  };
  // A named --id-field must exist; without one, a file with no "id" column is a file without ids.
  const id = options.idField === undefined ? names.indexOf("id") : required(options.idField);
  return {
    text: required(options.textField ?? "text"),
    id,
    derivedIds: id === -1 ? new DerivedIds() : null,
    carry: (options.carryFields ?? []).map((name) => ({ name, index: required(name) })),
  };
}

/** A header read as one column that another common delimiter splits: the file's own delimiter, as a flag. */
function delimiterHint(names: readonly string[], given: string | undefined): string {
  if (given !== undefined || names.length !== 1) return "";
  const found = [";", "\t", "|"].find((delimiter) => names[0]!.includes(delimiter));
  if (found === undefined) return "";
  const flag = found === "\t" ? "\\t" : found;
  return `: a "${flag}"-separated file? pass --delimiter "${flag}"`;
}

function recordFromRow(
  row: Buffer[],
  position: number,
  columns: Columns,
  decoder: TextDecoder,
): SourceRecord {
  let values: string[];
  try {
    values = row.map((field) => decoder.decode(field));
  } catch {
    return { kind: "reject", position, reason: rejectReasons.invalidUtf8 };
  }
  const id = columns.id === -1 ? null : readId(values[columns.id]);
  const text = values[columns.text];
  if (text === undefined) {
    return { kind: "reject", position, ...knownId(id), reason: rejectReasons.missingText };
  }
  const fields: Record<string, string> = {};
  for (const { name, index } of columns.carry) {
    const value = values[index];
    if (value !== undefined) fields[name] = value;
  }
  return ticketOrReject(position, id, text, fields, columns.derivedIds);
}
