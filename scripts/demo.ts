/**
 * The newcomer's demo: generate two weeks of sample tickets, then run the tickets pipeline on embedded
 * defaults (local folder store, local run store): preprocess → relabel → train → evaluate for week 1,
 * preprocess → label → train → evaluate (against week 1's champion) for week 2.
 */
import type { TruthRouting } from "../src/tickets/truth.js";
import { unrouted } from "../src/topics/taxonomy.js";
import { demoSettingsOrExit } from "./demo-settings.js";
import { inflowCommand, runStep, type Summary } from "./run-step.js";
import { printTable } from "./table.js";

// Read once, as every step reads it: the closing message names the stores the steps actually used.
const { demo, config } = demoSettingsOrExit();
const firstDate = demo.date;
const secondDate = addDays(firstDate, 7);
const truth = ".inflow/truth/tickets-truth.jsonl";
const count = demo.tickets ?? 6000;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function inflow(...args: string[]): Summary {
  return runStep(args);
}

const pct = (x: unknown) => `${(100 * Number(x)).toFixed(1)}%`;

function week(date: string, fit: boolean): Summary {
  inflow(
    "tickets",
    "generate",
    "--date",
    date,
    "--count",
    String(Math.floor(count / 2)),
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
  printTable(
    topics.map((t) => ({
      id: t.id,
      topic: t.name,
      department: t.department,
      tickets: t.size,
      share: pct(t.share),
      "top terms": (t.topTerms ?? []).slice(0, 6).join(", "),
    })),
  );
  const waiting = topics.filter((t) => t.department === unrouted);
  if (waiting.length > 0)
    console.log(
      `[${date}] ${waiting.length} of ${topics.length} topics (${pct(waiting.reduce((sum, t) => sum + t.share, 0))} of the tickets) wait in "${unrouted}": the catalog names only the topics it clearly fits; a person names and routes the rest in the review console (${inflowCommand()} console)`,
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
  const routing = evaluation.routingVsTruth as TruthRouting | null;
  const interval = evaluation.macroF1Interval as [number, number];
  console.log(
    `[${date}] agreement with topic labels (not a truth): accuracy ${pct(evaluation.accuracy)}, macro-F1 ${pct(evaluation.macroF1)} (95% CI ${pct(interval[0])}–${pct(interval[1])})`,
  );
  if (routing) {
    console.log(
      `[${date}] routing vs the truth kept aside, once each topic goes to one department (map learned on the training tickets, ${routing.rows} held out): NMI ${routing.nmi.toFixed(3)}, accuracy ${pct(routing.accuracy)}, macro-F1 ${pct(routing.macroF1)}` +
        (routing.named
          ? `; by taxonomy name: accuracy ${pct(routing.named.accuracy)}, macro-F1 ${pct(routing.named.macroF1)}`
          : "") +
        `; always the largest group: ${pct(routing.majorityBaseline.accuracy)}`,
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
Where everything went (INFLOW_STORE, INFLOW_RAW_STORE, INFLOW_TRACKING and INFLOW_RUN_STORE decide):
  raw input         ${config.rawStore}/tickets/date=*/
  derived data      ${config.store}/tickets/{preprocessed,labelled,topic-model,taxonomy,classifier,evaluation,promotion}/date=*/
  champion pointer  ${config.store}/tickets/champion.json
${trackedRuns().join("\n")}
  ground truth      .inflow/truth/ (kept aside; only evaluate --truth reads it)
Try: ${inflowCommand()} tickets predict --date ${secondDate} --input ${lastDayTickets()} --output /tmp/predictions.jsonl
     ${inflowCommand()} console   (name and route the topics waiting in "${unrouted}", label tickets), then
     ${inflowCommand()} tickets train --date ${secondDate}   (the router learns from them: humanLabels in its summary)`);

/** The second week's last day of raw tickets as a file `predict` reads (a local raw store), else a small sample. */
function lastDayTickets(): string {
  if (!config.rawStore.startsWith("file://")) return "test/fixtures/tickets/cfpb.json";
  return `${config.rawStore.slice("file://".length)}/tickets/date=${addDays(secondDate, -1)}/complaints.json`;
}

/** Where each configured tracking backend recorded the runs. */
function trackedRuns(): string[] {
  return config.tracking.map((backend) => {
    if (backend === "mlflow")
      return `  tracked runs      MLflow ${config.mlflow!.trackingUri}, experiment inflow-tickets; the champion is models:/inflow-ticket-router@champion`;
    if (backend === "clearml")
      return `  tracked runs      ClearML ${config.clearml!.webHost}, project inflow-tickets`;
    return `  tracked runs      ${config.runStore}/inflow-tickets/<run id>/run.json`;
  });
}
