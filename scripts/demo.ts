/**
 * The newcomer's demo: generate two weeks of sample tickets, then run the tickets pipeline on embedded
 * defaults (local folder store, local run store): preprocess → relabel → train → evaluate for week 1,
 * preprocess → label → train → evaluate (against week 1's champion) for week 2.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const firstDate = process.env.INFLOW_DEMO_DATE ?? "2026-11-09";
const secondDate = addDays(firstDate, 7);
const truth = ".inflow/truth/tickets-truth.jsonl";
const count = Number(process.env.INFLOW_DEMO_TICKETS ?? 6000);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Summary = Record<string, unknown>;

function inflow(...args: string[]): Summary {
  process.stderr.write(`\n$ inflow ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [resolve("bin/inflow.js"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, INFLOW_LOG_LEVEL: process.env.INFLOW_LOG_LEVEL ?? "warn" },
  });
  const last = result.stdout.trim().split("\n").at(-1) ?? "{}";
  const summary = JSON.parse(last) as Summary;
  if (result.status !== 0) {
    process.stderr.write(`step failed (exit ${result.status}): ${String(summary.error)}\n`);
    process.exit(result.status ?? 1);
  }
  return summary;
}

const pct = (x: unknown) => `${(100 * Number(x)).toFixed(1)}%`;

function week(date: string, fit: boolean): Summary {
  inflow(
    "tickets",
    "generate",
    "--date",
    date,
    "--count",
    String(count / 2),
    "--days",
    "7",
    "--seed",
    date.replaceAll("-", ""),
    "--truth-out",
    truth.replace(".jsonl", `-${date}.jsonl`),
  );
  const pre = inflow("tickets", "preprocess", "--date", date, "--carry", "product");
  console.log(
    `\n[${date}] preprocessed ${pre.tickets} tickets, rejected ${pre.rejected} (${pct(pre.rejectShare)}): ${JSON.stringify(pre.rejectReasons)}`,
  );
  const labelled = fit
    ? // The generated tickets are consumer-finance complaints: the CFPB catalog is the domain pack that fits.
      inflow("tickets", "relabel", "--date", date, "--catalog", "cfpb")
    : inflow("tickets", "label", "--date", date);
  const topics = labelled.topics as {
    id: number;
    name: string;
    department: string;
    size: number;
    share: number;
    topTerms?: string[];
  }[];
  console.log(
    `[${date}] ${fit ? "fitted a new topic model" : "labelled with the current topic model"} (unassigned: ${labelled.unassigned})`,
  );
  console.table(
    topics.map((t) => ({
      id: t.id,
      topic: t.name,
      department: t.department,
      tickets: t.size,
      share: pct(t.share),
      "top terms": (t.topTerms ?? []).slice(0, 6).join(", "),
    })),
  );
  const trained = inflow("tickets", "train", "--date", date);
  console.log(
    `[${date}] trained ${trained.version}: held-out accuracy ${pct(trained.testAccuracy)}, macro-F1 ${pct(trained.testMacroF1)} (${trained.features} features)`,
  );
  const evaluation = inflow(
    "tickets",
    "evaluate",
    "--date",
    date,
    "--truth",
    truth.replace(".jsonl", `-${date}.jsonl`),
  );
  const routing = evaluation.routingVsTruth as Record<string, number> | null;
  const interval = evaluation.macroF1Interval as [number, number];
  console.log(
    `[${date}] agreement with topic labels: accuracy ${pct(evaluation.accuracy)}, macro-F1 ${pct(evaluation.macroF1)} (95% CI ${pct(interval[0])}–${pct(interval[1])})`,
  );
  if (routing) {
    console.log(
      `[${date}] routing vs the truth kept aside: NMI ${routing.nmi!.toFixed(3)}, majority-mapped accuracy ${pct(routing.majorityAccuracy)}, macro-F1 ${pct(routing.majorityMacroF1)}` +
        (routing.namedAccuracy != null
          ? `; by taxonomy name: accuracy ${pct(routing.namedAccuracy)}, macro-F1 ${pct(routing.namedMacroF1)}`
          : ""),
    );
  }
  console.log(
    `[${date}] champion: ${evaluation.champion ?? "none"} → ${evaluation.promote ? "PROMOTED" : "kept the champion"}: ${evaluation.reason}`,
  );
  return evaluation;
}

week(firstDate, true);
week(secondDate, false);
console.log(`
Everything was written under ./.inflow:
  raw input         .inflow/customer-sup-tickets-raw/tickets/date=*/
  derived data      .inflow/customer-sup-tickets-clean/tickets/{preprocessed,labelled,topic-model,taxonomy,classifier,evaluation,promotion}/date=*/
  champion pointer  .inflow/customer-sup-tickets-clean/tickets/champion.json
  tracked runs      .inflow/runs/inflow-tickets/<run id>/run.json
  ground truth      .inflow/truth/ (kept aside; only evaluate --truth reads it)
Try: node bin/inflow.js tickets predict --date ${secondDate} --input test/fixtures/tickets/cfpb.json --output /tmp/predictions.jsonl`);
