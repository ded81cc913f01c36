import { basename } from "node:path";
import { rawKey } from "../../src/tickets/raw.js";
import { InputError } from "../../src/util/errors.js";
import { sha256File } from "../../src/util/hash.js";
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
    }) as never,
  async run({ date, rawStore, run }, options) {
    const stored = [];
    for (const path of options.input) {
      const key = rawKey(date, basename(path));
      const sha = await sha256File(path).catch((error) => {
        throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
      });
      if (await rawStore.exists(key)) {
        // Raw input is immutable: the same bytes again is a no-op, different bytes under the same name is an error.
        const existing = await rawStore.head(key);
        if (existing.sha256 !== sha) {
          throw new InputError(
            `${rawStore.uri}/${key} already holds different content; raw input is never overwritten`,
          );
        }
        stored.push({ ...existing, skipped: true });
        continue;
      }
      stored.push({ ...(await rawStore.putFile(key, path)), skipped: false });
    }
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
