/**
 * The activity pipeline end to end through the built CLI (`bin/inflow.js activity ...`) on a
 * generated 60-day chat (Europe/Berlin, so the window holds the 2024-03-31 spring-forward day):
 * outputs of every step, exit code 2 on bad input, idempotent reruns and backfill correctness.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { after, before, test } from "node:test";
import { generateActivity } from "../../src/activity/generate.js";
import { telegramExportJson } from "../../src/activity/sources/telegram-export-writer.js";
import { zonedMidnight } from "../../src/activity/zone.js";
import { metricValue } from "../harness/api-server.js";
import { startPushgateway } from "../harness/prometheus.js";

const zone = "Europe/Berlin";
const D1 = "2024-03-31"; // a 23-hour day: its forecast has 23 steps
const D2 = "2024-04-01"; // evaluates D1
const chatDir = "activity/chat=1234567";
let dir: string;
let exportPath: string;
let messages: { timestamp: number }[];

before(() => {
  dir = mkdtempSync(join(tmpdir(), "inflow-activity-"));
  const generated = generateActivity({ days: 60, firstDay: "2024-02-01", zone, seed: 7 });
  messages = generated.messages;
  exportPath = join(dir, "result.json");
  writeFileSync(exportPath, telegramExportJson(generated.messages, { name: "Synthetic", id: 1234567, zone }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Summary = Record<string, unknown>;

function inflow(
  store: string,
  args: string[],
  env: Record<string, string> = {},
): { code: number; summary: Summary } {
  const result = spawnSync(
    process.execPath,
    [
      resolve("bin/inflow.js"),
      "activity",
      ...args,
      "--store",
      `file://${join(dir, store)}`,
      "--raw-store",
      `file://${join(dir, "raw")}`,
    ],
    {
      encoding: "utf8",
      env: {
        ...process.env,
        INFLOW_ACTIVITY_CHAT: "1234567",
        INFLOW_ACTIVITY_TIME_ZONE: zone,
        INFLOW_RUN_STORE: join(dir, "runs"),
        INFLOW_LOG_LEVEL: "error",
        ...env,
      },
    },
  );
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  return { code: result.status ?? -1, summary: last.startsWith("{") ? (JSON.parse(last) as Summary) : {} };
}

function ok(store: string, args: string[]): Summary {
  const { code, summary } = inflow(store, args);
  assert.equal(code, 0, `${args.join(" ")}: ${JSON.stringify(summary)}`);
  return summary;
}

function dailySteps(store: string, date: string, extra: string[] = []): void {
  for (const step of [
    ["aggregate"],
    ["evaluate"],
    ["train", "--backtest-days", "14"],
    ["forecast"],
    ["chart"],
  ]) {
    ok(store, [...step, "--date", date, ...extra]);
  }
}

/** Every published output file of one date (manifests excluded: they carry times), path → bytes. */
function outputsOf(store: string, date: string): Map<string, string> {
  const out = new Map<string, string>();
  const root = join(dir, store, chatDir);
  for (const kind of ["series", "evaluation", "model", "forecast", "charts"]) {
    const base = join(root, kind, `date=${date}`);
    for (const version of readdirSync(base).filter((n) => n.startsWith("v="))) {
      // published.json is the version's manifest copy: it carries times too.
      for (const file of readdirSync(join(base, version)).filter((f) => f !== "published.json")) {
        const path = join(base, version, file);
        out.set(relative(root, path), readFileSync(path).toString("base64"));
      }
    }
  }
  return out;
}

function published<T>(store: string, kind: string, date: string, name: string): T {
  const manifest = JSON.parse(
    readFileSync(join(dir, store, chatDir, kind, `date=${date}`, "manifest.json"), "utf8"),
  );
  const key = (manifest.outputs as { key: string }[]).find((o) => o.key.endsWith(`/${name}`))!.key;
  const body = readFileSync(join(dir, store, key));
  return (name.endsWith(".json") ? JSON.parse(body.toString("utf8")) : body) as T;
}

test("bad input and configuration exit with code 2 and a JSON error summary", () => {
  const cases: [string[], Record<string, string>][] = [
    [["ingest", "--date", "2024-02-30", "--export", exportPath], {}],
    [["ingest", "--date", D2, "--export", join(dir, "missing.json")], {}],
    [["ingest", "--date", D2], {}],
    [["ingest", "--date", D2, "--export", exportPath], { INFLOW_ACTIVITY_TIME_ZONE: "Mars/Olympus" }],
    [["ingest", "--date", D2, "--export", exportPath], { INFLOW_ACTIVITY_CHAT: "99999" }],
    [["aggregate", "--date", D2], {}],
    [["ingest", "--date", D2, "--live"], {}],
  ];
  for (const [args, env] of cases) {
    const { code, summary } = inflow("bad", args, env);
    assert.equal(code, 2, `${args.join(" ")} ${JSON.stringify(env)}: ${JSON.stringify(summary)}`);
    assert.equal(summary.status, "error");
  }
  const zoneError = inflow("bad", ["aggregate", "--date", D2], { INFLOW_ACTIVITY_TIME_ZONE: "Mars/Olympus" });
  assert.match(String(zoneError.summary.error), /INFLOW_ACTIVITY_TIME_ZONE.*Mars\/Olympus/);
  const live = inflow("bad", ["ingest", "--date", D2, "--live"]);
  assert.match(String(live.summary.error), /TELEGRAM_API_ID[^;]*; TELEGRAM_API_HASH[^;]*; TELEGRAM_SESSION/);
});

test("hourly counts from another system (TSV, named columns): bad rows name line and column; a capped backtest says so", () => {
  // Twelve days of hourly counts before D2, as another system exports them.
  const first = zonedMidnight(D2, zone) - 12 * 86_400;
  const rows = Array.from({ length: 12 * 24 }, (_, h) => {
    const t = first + 3600 * h;
    return `${new Date(t * 1000).toISOString()}\t${(h % 24 >= 9 && h % 24 < 18 ? 3 : 0) + (h % 5 === 0 ? 1 : 0)}`;
  });
  const tsv = join(dir, "counts.tsv");
  writeFileSync(tsv, `datetime\ttxt_cnt\n${rows.join("\n")}\n`);
  const counts = ["--csv", tsv, "--time-field", "datetime", "--count-field", "txt_cnt", "--date", D2];
  const unnamed = inflow("counts", ["ingest", "--csv", tsv, "--date", D2]);
  assert.equal(unnamed.code, 2);
  assert.match(
    String(unnamed.summary.error),
    /no column "timestamp" in the header \(columns: "datetime", "txt_cnt"\)/,
  );
  const broken = join(dir, "broken.tsv");
  writeFileSync(broken, `datetime\ttxt_cnt\n${rows[0]}\n${rows[1]!.split("\t")[0]}\n`);
  const short = inflow("counts", ["ingest", ...counts.slice(2), "--csv", broken]);
  assert.equal(short.code, 2);
  assert.match(
    String(short.summary.error),
    /line 3: 1 fields but the header has 2 \("txt_cnt" is missing; delimiter "\\t"\)/,
  );

  const ingest = ok("counts", ["ingest", ...counts]);
  const total = rows.reduce((sum, row) => sum + Number(row.split("\t")[1]), 0);
  assert.equal(ingest.messages, total);
  const series = ok("counts", ["aggregate", "--date", D2]);
  const train = ok("counts", ["train", "--date", D2]);
  assert.equal(train.backtestDaysRequested, 365);
  // 12 × 24 h before D2 span the 23-hour DST day: the counts start at 01:00 of a 13th local day.
  assert.equal(series.days, 13);
  assert.equal(train.backtestDays, 13 - 8);
  assert.equal(train.backtestDaysCapped, true);
  // A rerun never replaces a published model choice silently.
  assert.equal(train.replaced, null, "the first choice replaces nothing");
  // Another metric than the default (crps) publishes another choice record.
  const rechosen = ok("counts", ["train", "--date", D2, "--select-by", "rmse"]);
  assert.equal((rechosen.replaced as { chosen: string } | null)?.chosen, train.chosen);
  assert.equal(
    ok("counts", ["train", "--date", D2, "--select-by", "rmse"]).replaced,
    null,
    "same bytes: no new version",
  );
});

test("daily steps publish the series, evaluation, model choice, forecasts and charts; reruns are idempotent; backfills reproduce", async () => {
  const ingest = ok("a", ["ingest", "--date", D2, "--export", exportPath]);
  const beforeD2 = messages.filter((m) => m.timestamp < zonedMidnight(D2, zone)).length;
  assert.equal(ingest.messages, beforeD2);
  assert.ok(Number(ingest.partitionsWritten) > 30);
  const again = ok("a", ["ingest", "--date", D2, "--export", exportPath]);
  assert.equal(again.partitionsWritten, 0, "re-ingesting the same export changes no partition");

  dailySteps("a", D1);
  dailySteps("a", D2);

  // Series of D2 ends with D1's 23 hours; its counts add up to the messages before D2.
  const series = published<{ days: string[]; dayStarts: number[]; counts: number[] }>(
    "a",
    "series",
    D2,
    "series.json",
  );
  assert.equal(series.days.at(-1), D1);
  assert.equal(series.dayStarts.at(-1)! - series.dayStarts.at(-2)!, 23);
  assert.equal(
    series.counts.reduce((s, v) => s + v, 0),
    beforeD2,
  );

  // Forecast of the DST day: 23 hours, no local 02:00, ordered quantiles, total = sum of means.
  type Hour = {
    label: string;
    mean: number;
    median: number;
    q10: number;
    q50: number;
    q90: number;
    band80: [number, number];
  };
  const f1 = published<{ hours: Hour[]; expectedTotal: number; model: string }>(
    "a",
    "forecast",
    D1,
    "forecast.json",
  );
  assert.equal(f1.hours.length, 23);
  assert.ok(!f1.hours.some((h) => h.label === "02"));
  assert.equal(published<{ hours: Hour[] }>("a", "forecast", D2, "forecast.json").hours.length, 24);
  for (const h of f1.hours)
    assert.ok(h.q10 <= h.q50 && h.q50 <= h.q90 && h.median === h.q50, JSON.stringify(h));
  assert.ok(Math.abs(f1.hours.reduce((s, h) => s + h.mean, 0) - f1.expectedTotal) < 1e-9);
  const csv = published<Buffer>("a", "forecast", D1, "forecast.csv").toString("utf8").trim().split("\n");
  assert.equal(csv.length, 24);

  // Evaluation of D1 by the run of D2, recomputed here from the published series and forecast.
  const actual = series.counts.slice(series.dayStarts.at(-2));
  let smape = 0;
  let inside = 0;
  for (let k = 0; k < actual.length; k++) {
    const y = actual[k]!;
    const p = f1.hours[k]!.median;
    smape += y + p === 0 ? 0 : (2 * Math.abs(y - p)) / (y + p);
    if (y >= f1.hours[k]!.band80[0] && y <= f1.hours[k]!.band80[1]) inside++;
  }
  const evaluation = published<{
    day: string;
    hours: number;
    actualTotal: number;
    model: string;
    metrics: Record<string, number>;
  }>("a", "evaluation", D2, "evaluation.json");
  assert.equal(evaluation.day, D1);
  assert.equal(evaluation.hours, 23);
  assert.equal(evaluation.model, f1.model);
  assert.ok(Math.abs(evaluation.metrics.smape! - smape / 23) < 1e-12);
  assert.equal(evaluation.metrics.coverage80, inside / 23);
  assert.equal(
    evaluation.actualTotal,
    actual.reduce((s, v) => s + v, 0),
  );
  const firstEvaluation = published<{ metrics: unknown }>("a", "evaluation", D1, "evaluation.json");
  assert.equal(firstEvaluation.metrics, null, "no forecast existed for the day before the first run");

  // Model choice with a table for every candidate, chosen by CRPS (the default).
  const choice = published<{
    chosen: string;
    selectBy: string;
    backtestDays: number;
    scores: { model: string; crps: number }[];
  }>("a", "model", D2, "model.json");
  assert.equal(choice.selectBy, "crps");
  assert.equal(choice.backtestDays, 14);
  assert.deepEqual(choice.scores.map((s) => s.model).sort(), [
    "knn1-recursive-168",
    "seasonal-hurdle",
    "seasonal-naive-168h",
    "seasonal-naive-24h",
    "zeros",
  ]);
  assert.equal(choice.chosen, choice.scores.reduce((a, b) => (b.crps < a.crps ? b : a)).model);

  // Charts are PNGs.
  for (const name of ["yesterday.png", "today.png"]) {
    const png = published<Buffer>("a", "charts", D2, name);
    assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
    assert.ok(png.length > 10_000);
  }

  // The evaluate run's metrics are tracked with the evaluated day as the step.
  const runs = join(dir, "runs", "inflow-activity");
  const evaluateRun = readdirSync(runs)
    .map((id) => JSON.parse(readFileSync(join(runs, id, "run.json"), "utf8")))
    .find((r) => r.tags.step === "evaluate" && r.tags.logical_date === D2 && r.status === "FINISHED");
  const smapeMetric = evaluateRun.metrics.find((m: { key: string }) => m.key === "smape");
  assert.equal(smapeMetric.step, Date.parse(`${D1}T00:00:00Z`) / 86_400_000);

  // A rerun with a Pushgateway pushes the evaluation as named gauges, the 23 hours of D1 each labelled.
  const pushgateway = await startPushgateway();
  try {
    const { code } = inflow("a", ["evaluate", "--date", D2], { INFLOW_PUSHGATEWAY_URL: pushgateway.url });
    assert.equal(code, 0);
    const pushed = await (await fetch(`${pushgateway.url}/metrics`)).text();
    const group = { instance: "", job: "inflow-tasks", pipeline: "activity", step: "evaluate" };
    assert.equal(metricValue(pushed, "inflow_task_forecast_smape_ratio", group), evaluation.metrics.smape);
    assert.equal(metricValue(pushed, "inflow_task_actual_messages", group), evaluation.actualTotal);
    const hourly = f1.hours.map((h) =>
      metricValue(pushed, "inflow_task_actual_hour_messages", { ...group, hour: h.label }),
    );
    assert.deepEqual(hourly, Array.from(actual));
  } finally {
    await pushgateway.stop();
  }

  // Reruns publish the same bytes and no new version, under the same run id or another (an Airflow retry).
  const first1 = outputsOf("a", D1);
  const first2 = outputsOf("a", D2);
  dailySteps("a", D1);
  assert.deepEqual(outputsOf("a", D1), first1);
  dailySteps("a", D2, ["--run-id", `scheduled__${D2}T00:01:00+00:00`]);
  assert.deepEqual(outputsOf("a", D2), first2);

  // Backfill: a store that only ever saw the history before D1 produces D1's outputs byte for byte,
  // and history ingested later (days ≥ D1) leaves them unchanged.
  const partial = ok("b", ["ingest", "--date", D1, "--export", exportPath]);
  assert.ok(Number(partial.outsideWindow) > 0);
  dailySteps("b", D1);
  assert.deepEqual(outputsOf("b", D1), first1);
  ok("b", ["ingest", "--date", D2, "--export", exportPath]);
  dailySteps("b", D1);
  assert.deepEqual(outputsOf("b", D1), first1);
  assert.ok(statSync(join(dir, "b", chatDir, "history")).isDirectory());
});
