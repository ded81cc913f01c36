import { rename, rm } from "node:fs/promises";
import { createPredictor } from "../../src/classify/model-predict.js";
import { predictionFields } from "../../src/classify/prediction-fields.js";
import { isTruncated } from "../../src/text/limits.js";
import { loadRoutingModel } from "../../src/tickets/model-source.js";
import { readTickets } from "../../src/tickets/sources/read.js";
import { requireFolderOf } from "../../src/util/folders.js";
import { JsonlWriter } from "../../src/util/jsonl.js";
import { createProgress } from "../../src/util/progress.js";
import type { TaskDefinition } from "../task.js";
import { type ReadingFlags, readingFromFlags, withReadingFlags } from "./reading-flags.js";

interface Options extends ReadingFlags {
  model: string;
  input: string;
  output: string;
}

/** predict: route a file of tickets with a model artifact (the champion by default). */
export const predictTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "predict",
  describe:
    "Classify a file of tickets: topic, department, confidence, needs_review and explanation per ticket",
  options: (argv) =>
    withReadingFlags(argv)
      .option("model", {
        type: "string",
        default: "champion",
        describe:
          'Model: "champion" (the one serving on --date: the newest promoted on or before it), a store URI or a local file',
      })
      .option("input", {
        type: "string",
        demandOption: true,
        describe: "Tickets file (JSON, JSONL, CSV, CFPB export)",
      })
      .option("output", {
        type: "string",
        demandOption: true,
        describe: "Predictions JSONL (written atomically)",
      }),
  async run({ date, store, run, log }, options) {
    await requireFolderOf(options.output, "--output");
    const { model, uri } = await loadRoutingModel(options.model, store, date);
    const predictor = createPredictor(model);
    const temp = `${options.output}.tmp-${process.pid}`;
    const out = new JsonlWriter(temp);
    const departments: Record<string, number> = {};
    let rejected = 0;
    let needsReview = 0;
    const progress = createProgress(log, "predict");
    let complete = false;
    try {
      for await (const record of readTickets(options.input, {
        format: "auto",
        ...readingFromFlags(options),
      })) {
        progress.tick();
        if (record.kind === "reject") {
          rejected++;
          await out.write({ id: record.id ?? null, position: record.position, error: record.reason });
          continue;
        }
        const p = predictor.predict(record.text);
        departments[p.department] = (departments[p.department] ?? 0) + 1;
        if (p.needsReview) needsReview++;
        await out.write({
          ...predictionFields(record.id, p, isTruncated(record.text, model.preprocessing)),
          explanation: p.explanation,
        });
      }
      complete = true;
    } finally {
      // Stopped on failure too: a terminal's bar redraws on a timer that would keep the process alive.
      progress.stop();
      await out.close();
      if (!complete) await rm(temp, { force: true });
    }
    await rename(temp, options.output);
    const predicted = out.count - rejected;
    await run.logParams({ model: uri });
    await run.logMetrics({
      "predict/predicted": predicted,
      "predict/rejected": rejected,
      "predict/needs_review": needsReview,
    });
    return { model: model.version, output: options.output, predicted, rejected, needsReview, departments };
  },
};
