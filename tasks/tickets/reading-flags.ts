import type { Argv } from "yargs";
import type { RawReading } from "../../src/tickets/ingest-check.js";
import type { TicketInputFormat } from "../../src/tickets/sources/read.js";

/** How a ticket file is read: the flags ingest, preprocess and predict all take. */
export interface ReadingFlags {
  format: TicketInputFormat;
  "text-field"?: string;
  "id-field"?: string;
  delimiter?: string;
}

export function withReadingFlags<T>(argv: Argv<T>): Argv<T & ReadingFlags> {
  return argv
    .option("format", {
      choices: ["auto", "json", "jsonl", "csv"] as const,
      default: "auto" as const,
      describe: "Input format (auto: by file extension; the CFPB export shape is detected)",
    })
    .option("text-field", {
      type: "string",
      describe:
        "Dotted path (CSV: column) of the ticket text (default: text, or _source.complaint_what_happened)",
    })
    .option("id-field", {
      type: "string",
      describe:
        "Dotted path (CSV: column) of the ticket id (default: id, or _id). Rows without a usable id are " +
        "rejected; a file with no id field at all gets ids from each text's sha256 (text-<16 hex>)",
    })
    .option("delimiter", {
      type: "string",
      describe: 'CSV field delimiter (default ","; e.g. ";" or "\\t")',
    }) as Argv<T & ReadingFlags>;
}

/** The reading the flags ask for; flags not given are absent, so a recorded reading can fill them. */
export function readingFromFlags(flags: ReadingFlags): Partial<RawReading> {
  const delimiter = flags.delimiter === "\\t" ? "\t" : flags.delimiter;
  return {
    ...(flags.format === "auto" ? {} : { format: flags.format }),
    ...(flags["text-field"] === undefined ? {} : { textField: flags["text-field"] }),
    ...(flags["id-field"] === undefined ? {} : { idField: flags["id-field"] }),
    ...(delimiter === undefined ? {} : { delimiter }),
  };
}
