import { mkdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { withTempDir } from "../../src/tickets/dataset.js";
import {
  dayWeight,
  defaultClassShares,
  departments,
  generateTickets,
  writeCfpbExport,
} from "../../src/tickets/generator/generate.js";
import { putRawImmutable, rawKey } from "../../src/tickets/raw.js";
import { daysBefore } from "../../src/util/dates.js";
import { InputError } from "../../src/util/errors.js";
import { JsonlWriter } from "../../src/util/jsonl.js";
import type { TaskDefinition } from "../task.js";

interface Options {
  count: number;
  days: number;
  seed: number;
  "garbage-rate": number;
  "truth-out": string;
  departments?: string;
}

/**
 * generate: a realistic CFPB-like corpus in the seed's export shape, one raw partition per day before
 * --date, with its ground truth written aside (never into the stores the pipeline reads).
 */
export const generateTask: TaskDefinition<Options> = {
  pipeline: "tickets",
  step: "generate",
  writesRawStore: true,
  readsRawInputOnly: true,
  describe:
    "Generate a sample corpus (CFPB export shape) into the raw store for the days before --date; truth kept aside",
  options: (argv) =>
    argv
      .option("count", { type: "number", default: 5000, describe: "Tickets in all" })
      .option("days", { type: "number", default: 7, describe: "Spread over this many days before --date" })
      .option("seed", { type: "number", default: 1, describe: "Seed (same seed, same corpus)" })
      .option("garbage-rate", { type: "number", default: 0.005, describe: "Share of malformed rows" })
      .option("truth-out", {
        type: "string",
        default: ".inflow/truth/tickets-truth.jsonl",
        describe: "Where the ground truth goes (JSONL)",
      })
      .option("departments", {
        type: "string",
        describe: `Only these departments, comma-separated (default all: ${departments.join(", ")})`,
      }),
  async run({ date, rawStore, run }, options) {
    const days = daysBefore(date, options.days);
    const classShares = options.departments === undefined ? undefined : departmentShares(options.departments);
    await mkdir(dirname(options["truth-out"]), { recursive: true });
    const truth = new JsonlWriter(`${options["truth-out"]}.tmp-${process.pid}`);
    const files = await withTempDir(async (dir) => {
      const stored = [];
      let firstIndex = 0;
      // Each day's share follows its weight (quieter weekends), so the corpus has a weekly rhythm.
      const weights = days.map(dayWeight);
      const totalWeight = weights.reduce((a, b) => a + b, 0);
      let cumulativeWeight = 0;
      for (const [i, day] of days.entries()) {
        cumulativeWeight += weights[i]!;
        const count = Math.round((options.count * cumulativeWeight) / totalWeight) - firstIndex;
        const generated = generateTickets({
          count,
          seed: options.seed,
          garbageRate: options["garbage-rate"],
          classShares,
          startDate: day,
          endDate: day,
          firstIndex,
        });
        firstIndex += count;
        const path = join(dir, `complaints-${day}.json`);
        await writeCfpbExport(
          path,
          (async function* () {
            for (const { ticket, truth: t } of generated) {
              await truth.write(t);
              yield ticket;
            }
          })(),
        );
        stored.push(await putRawImmutable(rawStore, rawKey(day, "complaints.json"), path));
      }
      return stored;
    });
    await truth.close();
    await rename(truth.path, options["truth-out"]);
    await run.logParams({
      count: options.count,
      days: options.days,
      seed: options.seed,
      garbageRate: options["garbage-rate"],
    });
    return {
      tickets: options.count,
      partitions: days.length,
      files: files.map((f) => `${rawStore.uri}/${f.key}`),
      truth: options["truth-out"],
    };
  },
};

/** The default shares of the named departments only (a department held back arrives later). */
function departmentShares(list: string): Record<string, number> {
  const names = list.split(",").map((d) => d.trim());
  const unknown = names.filter((d) => !(departments as readonly string[]).includes(d));
  if (unknown.length > 0 || names.length === 0)
    throw new InputError(
      `--departments: unknown ${unknown.join(", ")}; choose from ${departments.join(", ")}`,
    );
  return Object.fromEntries(names.map((d) => [d, defaultClassShares[d as keyof typeof defaultClassShares]]));
}
