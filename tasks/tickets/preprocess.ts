import { basename, join } from "node:path";
import { Publication } from "../../src/store/publish.js";
import { createPreprocessor, defaultPreprocessOptions } from "../../src/text/preprocess.js";
import {
  kinds,
  type PreprocessedTicket,
  type RejectedTicket,
  withTempDir,
} from "../../src/tickets/dataset.js";
import { listRawFiles } from "../../src/tickets/raw.js";
import { readTickets, type TicketInputFormat } from "../../src/tickets/sources.js";
import { InputError } from "../../src/util/errors.js";
import { JsonlWriter } from "../../src/util/jsonl.js";
import { createProgress } from "../../src/util/progress.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  "window-days": number;
  shard: number;
  shards: number;
  format: TicketInputFormat;
  "text-field"?: string;
  "id-field"?: string;
  "keep-pos": string[];
  carry: string[];
  "max-reject-share": number;
}

/** preprocess: raw tickets of the days before the logical date → tokens (the seed's ETL), rejects kept with reasons. */
export const preprocessTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "preprocess",
  describe: "Clean, lemmatize and keep nouns of the raw tickets received in the window before --date",
  options: (argv) =>
    argv
      .option("window-days", {
        type: "number",
        default: 7,
        describe: "Read raw partitions of this many days before --date",
      })
      .option("shard", {
        type: "number",
        default: 0,
        describe: "This shard's index (0-based); raw files are split across shards",
      })
      .option("shards", {
        type: "number",
        default: 1,
        describe: "Number of shards (one pod each in Airflow)",
      })
      .option("format", {
        choices: ["auto", "json", "jsonl", "csv"] as const,
        default: "auto" as const,
        describe: "Input format (auto: by file extension; the CFPB export shape is detected)",
      })
      .option("text-field", {
        type: "string",
        describe: "Dotted path of the text field (default: text, or _source.complaint_what_happened)",
      })
      .option("id-field", { type: "string", describe: "Dotted path of the id field (default: id, or _id)" })
      .option("keep-pos", {
        type: "array",
        string: true,
        default: [...defaultPreprocessOptions.keepPos],
        describe: "Universal POS tags to keep",
      })
      .option("carry", {
        type: "array",
        string: true,
        default: [],
        describe: "Fields carried through as strings (e.g. product), dotted paths",
      })
      .option("max-reject-share", {
        type: "number",
        default: 0.05,
        describe: "Fail when more than this share of rows is rejected",
      }) as never,
  async run({ date, runId, rawStore, store, run, log }, options) {
    const { shard, shards } = options;
    if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
      throw new InputError(`--shard must be in [0, --shards), got ${shard} of ${shards}`);
    }
    const allFiles = await listRawFiles(rawStore, date, options["window-days"]);
    const files = allFiles.filter((_, i) => i % shards === shard);
    const preprocessing = { ...defaultPreprocessOptions, keepPos: options["keep-pos"] };
    await run.logParams({
      windowDays: options["window-days"],
      shard,
      shards,
      rawFiles: files.length,
      keepPos: preprocessing.keepPos.join(","),
      lemmatize: preprocessing.lemmatize,
      minTokenLength: preprocessing.minTokenLength,
    });
    const preprocess = createPreprocessor(preprocessing);
    const part = `shard-${shard}-of-${shards}`;
    const publication = new Publication(store, kinds.preprocessed, date, runId, part);

    return withTempDir(async (dir) => {
      const rows = new JsonlWriter(join(dir, "tickets.jsonl"));
      const rejects = new JsonlWriter(join(dir, "rejects.jsonl"));
      const reasons: Record<string, number> = {};
      let tokens = 0;
      let empty = 0;
      const started = performance.now();
      const progress = createProgress(log, "preprocess");
      for (const file of files) {
        const copy = await rawStore.localCopy(file.key);
        const source = `${file.date}/${basename(file.key)}`;
        try {
          for await (const record of readTickets(copy.path, {
            format: options.format,
            textField: options["text-field"],
            idField: options["id-field"],
            carryFields: options.carry,
          })) {
            progress.tick();
            if (record.kind === "reject") {
              reasons[record.reason] = (reasons[record.reason] ?? 0) + 1;
              const rejected: RejectedTicket = {
                id: record.id,
                source,
                position: record.position,
                reason: record.reason,
              };
              await rejects.write(rejected);
              continue;
            }
            const terms = preprocess(record.text);
            tokens += terms.length;
            if (terms.length === 0) empty++;
            const row: PreprocessedTicket = {
              id: record.id,
              tokens: terms,
              source,
              position: record.position,
              fields: record.fields,
            };
            await rows.write(row);
          }
        } finally {
          await copy.release();
        }
      }
      progress.stop();
      await Promise.all([rows.close(), rejects.close()]);
      const seconds = (performance.now() - started) / 1000;
      const total = rows.count + rejects.count;
      const rejectShare = total === 0 ? 0 : rejects.count / total;
      const stats = {
        tickets: rows.count,
        rejected: rejects.count,
        rejectShare,
        rejectReasons: reasons,
        tokens,
        emptyAfterPreprocessing: empty,
      };
      await run.logMetrics({
        tickets: rows.count,
        rejected: rejects.count,
        rejectShare,
        tokens,
        emptyAfterPreprocessing: empty,
        seconds,
      });
      if (rejectShare > options["max-reject-share"]) {
        // Keep the evidence: the rejects go to the store (outside any published version) before failing.
        const evidence = await store.putFile(
          `${kinds.preprocessed}/date=${date}/rejected-${part}-${publication.version}.jsonl`,
          rejects.path,
        );
        throw new InputError(
          `${rejects.count} of ${total} rows rejected (${(rejectShare * 100).toFixed(1)}% > ${options["max-reject-share"] * 100}%): ` +
            `${JSON.stringify(reasons)}; rejects kept at ${store.uri}/${evidence.key}`,
        );
      }
      if (total === 0) log.warn({ files: files.length }, "no tickets in the window");
      await publication.putFile("tickets.jsonl", rows.path);
      await publication.putFile("rejects.jsonl", rejects.path);
      const manifest = await publication.publish(
        {
          inputs: files.map((f) => ({ uri: `${rawStore.uri}/${f.key}`, sha256: f.sha256 })),
          params: { ...preprocessing, shard, shards },
        },
        stats,
      );
      return {
        part,
        ...stats,
        seconds: undefined,
        outputs: manifest.outputs.map((o) => `${store.uri}/${o.key}`),
      };
    });
  },
};
