import { basename } from "node:path";
import { putRawImmutable, rawKey } from "../../src/tickets/raw.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  input: string[];
}

/** ingest: put ticket export files into the raw store's partition for the logical date, once and for all. */
export const ingestTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "ingest",
  describe: "Copy ticket files (JSON, JSONL, CSV, CFPB export; optionally .gz) into the raw store for --date",
  options: (argv) =>
    argv.option("input", {
      type: "array",
      string: true,
      demandOption: true,
      describe: "Local files to ingest",
    }),
  async run({ date, rawStore, run }, options) {
    const stored = [];
    for (const path of options.input)
      stored.push(await putRawImmutable(rawStore, rawKey(date, basename(path)), path));
    await run.logParams({ files: stored.length });
    await run.setTags(Object.fromEntries(stored.map((s) => [`input.${basename(s.key)}.sha256`, s.sha256])));
    return {
      files: stored.map((s) => ({
        uri: `${rawStore.uri}/${s.key}`,
        sha256: s.sha256,
        size: s.size,
        skipped: s.skipped,
      })),
    };
  },
};
