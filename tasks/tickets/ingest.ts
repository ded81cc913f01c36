import { basename } from "node:path";
import { checkTicketFile } from "../../src/tickets/ingest-check.js";
import { putRawImmutable, rawKey, retractRawFile, writeIngestRecord } from "../../src/tickets/raw.js";
import { InputError } from "../../src/util/errors.js";
import type { TaskDefinition } from "../task.js";
import { type ReadingFlags, readingFromFlags, withReadingFlags } from "./reading-flags.js";

interface Options extends ReadingFlags {
  input?: string[];
  "max-reject-share": number;
  retract?: string;
  reason?: string;
}

/**
 * ingest: put ticket export files into the raw store's partition for the logical date, once and for
 * all, after reading each one whole the way preprocess will; or retract a stored file with a reason.
 */
export const ingestTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "ingest",
  writesRawStore: true,
  readsRawInputOnly: true,
  describe:
    "Check and copy ticket files (JSON, JSONL, CSV, CFPB export; optionally .gz) into the raw store for --date, or --retract one",
  options: (argv) =>
    withReadingFlags(argv)
      .option("input", {
        type: "array",
        string: true,
        describe: "Local files to ingest (required, unless --retract)",
      })
      .option("max-reject-share", {
        type: "number",
        default: 0.05,
        describe: "Refuse a file when more than this share of its rows cannot be read as tickets",
      })
      .option("retract", {
        type: "string",
        describe:
          "Retract a stored raw file (its name in --date's partition, or its key): later runs leave it out",
      })
      .option("reason", {
        type: "string",
        describe: "Why the file is retracted (required with --retract)",
      }),
  async run({ date, runId, rawStore, run }, options) {
    if (options.retract !== undefined) {
      if (options.input) throw new InputError("pass either --input or --retract, not both");
      const key = options.retract.startsWith("tickets/date=")
        ? options.retract
        : rawKey(date, basename(options.retract));
      const { record, already } = await retractRawFile(rawStore, key, options.reason ?? "", runId);
      await run.setTags({ [`retracted.${basename(key)}`]: record.reason });
      return { retracted: { uri: `${rawStore.uri}/${key}`, ...record }, alreadyRetracted: already };
    }
    if (!options.input?.length)
      throw new InputError("pass --input <files> to ingest, or --retract <file> --reason …");
    const reading = readingFromFlags(options);
    // Every file is checked before any is stored: a bad file in the batch stores nothing.
    const checked = [];
    for (const path of options.input) {
      checked.push({ path, ...(await checkTicketFile(path, reading, options["max-reject-share"])) });
    }
    const stored = [];
    for (const file of checked) {
      const object = await putRawImmutable(rawStore, rawKey(date, basename(file.path)), file.path);
      if (!object.skipped) {
        await writeIngestRecord(rawStore, {
          key: object.key,
          sha256: object.sha256,
          reading: file.reading,
          check: file.check,
          runId,
        });
      }
      stored.push({ ...object, ...file.check });
    }
    await run.logParams({ files: stored.length });
    await run.setTags(Object.fromEntries(stored.map((s) => [`input.${basename(s.key)}.sha256`, s.sha256])));
    return {
      files: stored.map((s) => ({
        uri: `${rawStore.uri}/${s.key}`,
        sha256: s.sha256,
        size: s.size,
        skipped: s.skipped,
        tickets: s.tickets,
        rejected: s.rejected,
        // Why, as preprocess will count them: the rows stay in the raw file and are left out there.
        rejectReasons: s.rejectReasons,
      })),
    };
  },
};
