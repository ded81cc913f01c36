import { basename, join } from "node:path";
import { countTicketWords, wordCountsJson } from "../../src/classify/model-lexicon.js";
import { Publication, readManifest } from "../../src/store/publish.js";
import { isTruncated } from "../../src/text/limits.js";
import { defaultWorkers, startPreprocessPool } from "../../src/text/parallel.js";
import { defaultPreprocessOptions, preprocessStepKeepPos } from "../../src/text/preprocess.js";
import {
  kinds,
  type PreprocessedTicket,
  type RejectedTicket,
  withTempDir,
} from "../../src/tickets/dataset.js";
import { listRawFiles } from "../../src/tickets/raw.js";
import { readTickets, type SourceRecord } from "../../src/tickets/sources/read.js";
import { addDays, daysBefore } from "../../src/util/dates.js";
import { InputError, NothingToDo } from "../../src/util/errors.js";
import { JsonlWriter } from "../../src/util/jsonl.js";
import { createProgress } from "../../src/util/progress.js";
import type { TaskDefinition } from "../task.js";
import { keepPosDescription, parseKeepPos } from "./keep-pos.js";
import { type ReadingFlags, readingFromFlags, withReadingFlags } from "./reading-flags.js";
import { type ShardFlags, shardPart, withShardFlags } from "./shard-flags.js";

interface Options extends ReadingFlags, ShardFlags {
  "window-days": number;
  "keep-pos": string[];
  carry: string[];
  "max-reject-share": number;
  workers: number;
  "allow-empty": boolean;
}

/** Tickets per batch handed to a preprocessing worker: large enough that messaging is noise. */
const BATCH = 256;

type Ticket = Extract<SourceRecord, { kind: "ticket" }>;

/** A batch of read tickets and the promise of their terms, written out in submission order. */
interface Batch {
  tickets: Ticket[];
  sources: string[];
  terms: Promise<string[][]>;
}

/** preprocess: raw tickets of the days before the logical date → tokens (the seed's ETL), rejects kept with reasons. */
export const preprocessTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "preprocess",
  readsRawInputOnly: true,
  describe: "Clean, POS-filter and lemmatize the raw tickets received in the window before --date",
  options: (argv) =>
    withShardFlags(withReadingFlags(argv), "raw files")
      .option("window-days", {
        type: "number",
        default: 7,
        describe: "Read raw partitions of this many days before --date",
      })
      .option("keep-pos", {
        type: "array",
        string: true,
        default: [...preprocessStepKeepPos],
        describe: keepPosDescription,
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
      })
      .option("allow-empty", {
        type: "boolean",
        default: false,
        describe:
          "Publish even when the window holds no tickets (otherwise exit 3, nothing to do, if the store holds other days; exit 2 if it holds none: a misspelled store is not an empty day)",
      })
      .option("workers", {
        type: "number",
        default: defaultWorkers(),
        describe: "Preprocessing threads (default: the available cores); output is the same for any count",
      }),
  async run({ date, runId, rawStore, store, run, log, config }, options) {
    const { shard, shards } = options;
    const preprocessing = {
      ...defaultPreprocessOptions,
      keepPos: parseKeepPos(options["keep-pos"]),
      ...config.textLimits,
    };
    const flagged = readingFromFlags(options);
    const { files: allFiles, retracted } = await listRawFiles(rawStore, date, options["window-days"]);
    const span = `${daysBefore(date, options["window-days"])[0]}..${addDays(date, -1)}`;
    if (allFiles.length === 0 && !options["allow-empty"]) {
      // A store with tickets of other days had a quiet window; a store with none is likely the wrong one.
      if ((await rawStore.list("tickets/date=")).length > 0)
        throw new NothingToDo(`no raw tickets in the window ${span} in ${rawStore.uri}`);
      throw new InputError(
        `no raw tickets in the window ${span} in ${rawStore.uri}, nor on any other day: check --raw-store and --date, ingest the files, or pass --allow-empty to publish an empty day`,
      );
    }
    const files = allFiles.filter((_, i) => i % shards === shard);
    await run.logParams({
      window_days: options["window-days"],
      shard,
      shards,
      raw_files: files.length,
      keep_pos: preprocessing.keepPos.length === 0 ? "all" : preprocessing.keepPos.join(","),
      lemmatize: preprocessing.lemmatize,
      min_token_length: preprocessing.minTokenLength,
      workers: options.workers,
    });
    await run.logInputs(
      files.map((f) => ({
        name: `raw ${f.key}`,
        uri: `${rawStore.uri}/${f.key}`,
        sha256: f.sha256,
        context: "input",
      })),
    );
    const part = shardPart(options);
    const publication = new Publication(store, kinds.preprocessed, date, runId, part);

    return withTempDir(async (dir) => {
      const rows = new JsonlWriter(join(dir, "tickets.jsonl"));
      const rejects = new JsonlWriter(join(dir, "rejects.jsonl"));
      const reasons: Record<string, number> = {};
      let tokens = 0;
      let empty = 0;
      let truncated = 0;
      // Prepared word → tickets holding it: what `train` ships the serving lexicon's readings of.
      const ticketsPerWord = new Map<string, number>();
      const started = performance.now();
      const progress = createProgress(log, "preprocess");
      const pool = startPreprocessPool(preprocessing, options.workers);
      // Batches in flight, oldest first; a bounded window keeps memory flat and every worker busy.
      const window: Batch[] = [];
      let open: Batch = { tickets: [], sources: [], terms: Promise.resolve([]) };
      const submit = (): void => {
        if (open.tickets.length === 0) return;
        open.terms = pool.run(open.tickets.map((t) => t.text));
        // Awaited in order by writeOldest; this only keeps a failure before then from going unhandled.
        open.terms.catch(() => {});
        window.push(open);
        open = { tickets: [], sources: [], terms: Promise.resolve([]) };
      };
      const writeOldest = async (): Promise<void> => {
        const batch = window.shift()!;
        const terms = await batch.terms;
        countTicketWords(
          batch.tickets.map((t) => t.text),
          preprocessing,
          ticketsPerWord,
        );
        for (const [i, record] of batch.tickets.entries()) {
          tokens += terms[i]!.length;
          if (terms[i]!.length === 0) empty++;
          const row: PreprocessedTicket = {
            id: record.id,
            tokens: terms[i]!,
            source: batch.sources[i]!,
            position: record.position,
            fields: record.fields,
          };
          if (isTruncated(record.text, preprocessing)) {
            row.truncated = true;
            truncated++;
          }
          await rows.write(row);
        }
      };
      try {
        for (const file of files) {
          const copy = await rawStore.localCopy(file.key);
          const source = `${file.date}/${basename(file.key)}`;
          try {
            // Flags given here win; otherwise the file is read as ingest checked it.
            for await (const record of readTickets(copy.path, {
              format: "auto",
              ...file.reading,
              ...flagged,
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
              open.tickets.push(record);
              open.sources.push(source);
              if (open.tickets.length === BATCH) {
                submit();
                if (window.length > 2 * pool.workers) await writeOldest();
              }
            }
          } finally {
            await copy.release();
          }
        }
        submit();
        while (window.length > 0) await writeOldest();
      } finally {
        // Stopped on failure too: a terminal's bar redraws on a timer that would keep the process alive.
        progress.stop();
        await pool.close();
      }
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
        truncated,
      };
      await run.logMetrics({
        "preprocess/tickets": rows.count,
        "preprocess/rejected": rejects.count,
        "preprocess/reject_share": rejectShare,
        "preprocess/tokens": tokens,
        "preprocess/empty_after_preprocessing": empty,
        "preprocess/seconds": seconds,
      });
      if (rejectShare > options["max-reject-share"]) {
        // Keep the evidence: the rejects go to the store (outside any published version) before failing.
        const evidence = await store.putFile(
          `${kinds.preprocessed}/date=${date}/rejected-${part}-${await publication.version()}.jsonl`,
          rejects.path,
        );
        throw new InputError(
          `${rejects.count} of ${total} rows rejected (${(rejectShare * 100).toFixed(1)}% > ${options["max-reject-share"] * 100}%): ` +
            `${JSON.stringify(reasons)}; rejects kept at ${store.uri}/${evidence.key}`,
        );
      }
      if (total === 0 && !options["allow-empty"]) {
        const published = await readManifest(store, kinds.preprocessed, date, part);
        const replacing = published
          ? `; it would replace the published ${published.stats.tickets} tickets`
          : "";
        throw new InputError(
          `the ${files.length} raw files of the window ${span} hold no tickets${replacing}: pass --allow-empty to publish an empty day`,
        );
      }
      await publication.putFile("tickets.jsonl", rows.path);
      await publication.putFile("rejects.jsonl", rejects.path);
      await publication.put("words.json", wordCountsJson(ticketsPerWord));
      const manifest = await publication.publish(
        {
          inputs: files.map((f) => ({ uri: `${rawStore.uri}/${f.key}`, sha256: f.sha256 })),
          params: {
            ...preprocessing,
            shard,
            shards,
            retracted: retracted.map((r) => r.key),
            // How the raw files were read (the flags given; each file's ingest reading fills the rest),
            // so that later steps can show a ticket's text to a person.
            source: flagged,
          },
        },
        stats,
      );
      return {
        part,
        ...stats,
        retracted: retracted.map((r) => ({ uri: `${rawStore.uri}/${r.key}`, reason: r.reason })),
        seconds: undefined,
        outputs: manifest.outputs.map((o) => `${store.uri}/${o.key}`),
      };
    });
  },
};
