/**
 * The DAGs run end to end by real Airflow 3 (`airflow dags test`, SQLite metadata database in a temp
 * AIRFLOW_HOME) with the local runner invoking the built CLI, against a real S3 server (moto) for both
 * stores and a real MLflow server for tracking; Telegram is the Bot API double. Outputs are checked
 * where they land: S3 objects, MLflow runs, XComs, the double's chat.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { generateActivity } from "../../src/activity/generate.js";
import { telegramExportJson } from "../../src/activity/sources/telegram-export-writer.js";
import {
  type AirflowHome,
  airflowInstalled,
  createAirflowHome,
  type DagRunRecord,
  dagRuns,
} from "../harness/airflow.js";
import { repoRoot, runCli } from "../harness/cli.js";
import { type MlflowServer, startMlflowServer } from "../harness/mlflow-server.js";
import { type S3Server, startS3Server } from "../harness/s3-server.js";
import { TelegramBotApiDouble } from "../harness/telegram-bot-double.js";

const skip = airflowInstalled() ? false : "run `bash scripts/setup-airflow.sh` first";
const raw = "customer-sup-tickets-raw";
const clean = "customer-sup-tickets-clean";
const week1 = "2026-03-09";
const week2 = "2026-03-16";
const week3 = "2026-03-23";
const week4 = "2026-03-30";

describe("DAGs run by Airflow with the local runner, against S3 and MLflow", { skip }, () => {
  let s3: S3Server;
  let mlflow: MlflowServer;
  let telegram: TelegramBotApiDouble;
  let home: AirflowHome;
  let env: NodeJS.ProcessEnv;
  let client: S3Client;

  before(async () => {
    [s3, mlflow, telegram] = await Promise.all([
      startS3Server({ persist: false }),
      startMlflowServer(),
      TelegramBotApiDouble.start(),
    ]);
    await Promise.all([s3.createBucket(raw), s3.createBucket(clean)]);
    home = await createAirflowHome({}, { migrate: true });
    env = {
      ...s3.env,
      INFLOW_RUNNER: "local",
      INFLOW_CLI: `${process.execPath} ${join(repoRoot, "bin/inflow.js")}`,
      INFLOW_STORE: `s3://${clean}/inflow`,
      INFLOW_RAW_STORE: `s3://${raw}`,
      INFLOW_TRACKING: "local,mlflow",
      MLFLOW_TRACKING_URI: mlflow.uri,
      INFLOW_RUN_STORE: join(home.dir, "runs"),
      INFLOW_LOG_LEVEL: "warn",
      INFLOW_ACTIVITY_CHAT: "1234567",
      INFLOW_ACTIVITY_TIME_ZONE: "UTC",
      INFLOW_ACTIVITY_BACKTEST_DAYS: "14",
      TELEGRAM_BOT_TOKEN: "123456:test-token",
      TELEGRAM_API_ROOT: telegram.apiRoot,
      INFLOW_REPORT_CHAT_ID: "-1001234567890",
    };
    client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.env.AWS_REGION ?? "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: s3.env.AWS_ACCESS_KEY_ID!, secretAccessKey: s3.env.AWS_SECRET_ACCESS_KEY! },
    });
    for (const [date, seed] of [
      [week1, "3"],
      [week2, "4"],
      [week3, "5"],
      [week4, "6"],
    ] as const) {
      const generated = runCli(
        ["tickets", "generate", "--date", date, "--count", "1500", "--days", "7", "--seed", seed],
        { ...process.env, ...env },
        home.dir,
      );
      assert.equal(generated.status, 0, generated.stderr);
    }
  });

  after(async () => {
    client?.destroy();
    await Promise.all([home?.dispose(), s3?.stop(), mlflow?.stop(), telegram?.stop()]);
  });

  // A run that waits for earlier weeks (depends_on_past) lasts as long as they do: 20 minutes at most.
  async function dagsTest(dagId: string, logicalDate: string, conf?: object): Promise<DagRunRecord> {
    const args = ["dags", "test", dagId, logicalDate, ...(conf ? ["-c", JSON.stringify(conf)] : [])];
    await home.airflow(args, env, 20 * 60_000);
    const runs = await dagRuns(home, dagId);
    const run = runs.find((r) => r.logical_date.startsWith(logicalDate.replace(/T.*$/, "")));
    assert.ok(run, `a ${dagId} run for ${logicalDate}`);
    return run;
  }

  const taskOf = (run: DagRunRecord, id: string, mapIndex = -1) => {
    const found = run.tasks.find((t) => t.task_id === id && t.map_index === mapIndex);
    assert.ok(found, `task ${id}[${mapIndex}]`);
    return found;
  };

  async function keys(bucket: string, prefix: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) out.push(o.Key!);
      token = page.NextContinuationToken;
    } while (token);
    return out;
  }

  async function mlflowRuns(experiment: string, airflowRunId: string) {
    const got = await fetch(
      `${mlflow.uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(experiment)}`,
    );
    assert.equal(got.status, 200, `MLflow experiment ${experiment}`);
    const { experiment: found } = (await got.json()) as { experiment: { experiment_id: string } };
    const search = await fetch(`${mlflow.uri}/api/2.0/mlflow/runs/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        experiment_ids: [found.experiment_id],
        filter: `tags.task_run_id = '${airflowRunId}'`,
        max_results: 100,
      }),
    });
    const body = (await search.json()) as {
      runs?: { info: { status: string }; data: { tags?: { key: string; value: string }[] } }[];
    };
    return (body.runs ?? []).map((r) => ({
      status: r.info.status,
      step: r.data.tags?.find((t) => t.key === "step")?.value,
    }));
  }

  test("tickets_pipeline, first week with relabel=true over two shards: topics, model, promotion", async () => {
    const run = await dagsTest("tickets_pipeline", week1, { relabel: true, shards: 2 });
    assert.equal(run.state, "success", JSON.stringify(run.tasks.map((t) => [t.task_id, t.state])));
    const shards = [taskOf(run, "preprocess", 0), taskOf(run, "preprocess", 1)];
    const summaries = shards.map((s) => s.xcom as { part: string; tickets: number; rejected: number });
    assert.deepEqual(
      summaries.map((s) => s.part),
      ["shard-0-of-2", "shard-1-of-2"],
    );
    assert.equal(
      summaries.reduce((n, s) => n + s.tickets + s.rejected, 0),
      1500,
      "the shards split the week's raw files between them",
    );
    assert.equal(taskOf(run, "label").state, "skipped");
    assert.equal(taskOf(run, "relabel").state, "success");
    // relabel fitted the topics (on a sample of at most relabel_sample tickets); one pod per shard labels.
    const assigned = [0, 1].map(
      (shard) => taskOf(run, "assign", shard).xcom as { part: string; tickets: number },
    );
    assert.deepEqual(
      assigned.map((a) => a.part),
      ["shard-0-of-2", "shard-1-of-2"],
    );
    assert.equal(
      assigned.reduce((n, a) => n + a.tickets, 0),
      summaries.reduce((n, s) => n + s.tickets, 0),
      "every preprocessed ticket is labelled by one assign pod",
    );
    const evaluate = taskOf(run, "evaluate").xcom as { date: string; runId: string; promote: boolean };
    assert.equal(evaluate.date, week1, "--date is the run's logical date");
    assert.equal(evaluate.runId, run.run_id, "--run-id is Airflow's run_id");
    assert.equal(evaluate.promote, true, "the first model is promoted");

    const published = await keys(clean, `inflow/tickets/`);
    for (const kind of ["preprocessed", "labelled", "classifier"]) {
      assert.ok(
        published.some((k) => k.includes(`tickets/${kind}/date=${week1}/`)),
        `${kind} published to S3 for ${week1}`,
      );
    }
    assert.ok(published.some((k) => k.endsWith(`date=${week1}/manifest-shard-1-of-2.json`)));
    const tracked = await mlflowRuns("inflow-tickets", run.run_id);
    assert.deepEqual(
      tracked.map((r) => r.step).sort(),
      ["assign", "assign", "evaluate", "preprocess", "preprocess", "relabel", "train"],
      "one MLflow run per task, tagged with Airflow's run_id",
    );
    assert.ok(tracked.every((r) => r.status === "FINISHED"));
  });

  // Three `airflow dags test` processes at once stand for a backfill at its default concurrency
  // (max_active_runs 10): the same dependency checks decide when each task may start (the scheduler's
  // update_state), without a scheduler process on a shared 2-core machine.
  test("three weeks at once, as a backfill runs them: each waits for the week before; the champion chain is one-at-a-time's", async () => {
    const weeks = await Promise.all(
      [week2, week3, week4].map((week) => dagsTest("tickets_pipeline", week, { shards: 1 })),
    );
    for (const run of weeks) {
      assert.equal(run.state, "success", JSON.stringify(run.tasks.map((t) => [t.task_id, t.state])));
      assert.equal(taskOf(run, "relabel").state, "skipped", "later weeks label by default");
    }
    const ended = (task: { end_date: string | null }) => Date.parse(task.end_date ?? "");
    const started = (task: { start_date: string | null }) => Date.parse(task.start_date ?? "");
    for (const [before, after] of [
      [weeks[0]!, weeks[1]!],
      [weeks[1]!, weeks[2]!],
    ]) {
      assert.ok(
        started(taskOf(after, "labelling")) >= ended(taskOf(before, "label")),
        "labels after the week before",
      );
      assert.ok(
        started(taskOf(after, "evaluate")) >= ended(taskOf(before, "evaluate")),
        "evaluates after the week before",
      );
    }
    const label = taskOf(weeks[0]!, "label").xcom as { topicModel: string };
    assert.match(label.topicModel, new RegExp(`date=${week1}`), "week 2 labels with week 1's topics");
    const second = taskOf(weeks[0]!, "evaluate").xcom as { champion: string; reason: string };
    assert.match(second.champion, new RegExp(`^${week1}`));
    assert.match(second.reason, /McNemar p=/);

    // One at a time, each week's champion is the model of the newest earlier week that was promoted.
    type Evaluation = {
      model: string;
      champion: string | null;
      promote: boolean;
      taxonomyCarried: { version: string } | null;
      championPointerMoved: boolean;
    };
    const evaluations = (await dagRuns(home, "tickets_pipeline"))
      .filter((r) => r.state === "success")
      .map((r) => taskOf(r, "evaluate").xcom as Evaluation);
    assert.equal(evaluations.length, 4, "weeks 1–4 evaluated");
    let champion: string | null = null;
    for (const evaluation of evaluations) {
      assert.equal(
        evaluation.champion,
        champion,
        `${evaluation.model} is compared with the champion of its date`,
      );
      // A promotion moves the pointer, and so does a kept champion answering through an edited taxonomy.
      const carried = evaluation.taxonomyCarried?.version ?? null;
      assert.equal(evaluation.championPointerMoved, evaluation.promote || carried !== null);
      if (evaluation.promote) champion = evaluation.model;
      else if (carried) champion = carried;
    }
  });

  test("the backfill command of docs/deploy.md is accepted by Airflow and covers every week up to --to-date", async () => {
    const documented = readFileSync(join(repoRoot, "docs/deploy.md"), "utf8").match(
      /^\s*airflow (backfill create .+)$/m,
    );
    assert.ok(documented, "docs/deploy.md shows an `airflow backfill create` command");
    // A backfill reads the DAG Airflow serialized into its database (not yet there if this test runs alone).
    const serialized = await home.airflow(["dags", "reserialize"], env);
    assert.equal(serialized.status, 0, serialized.stderr);
    const dryRun = await home.airflow([...documented[1]!.trim().split(/\s+/), "--dry-run"], env);
    assert.equal(dryRun.status, 0, dryRun.stderr);
    const weeks = [...dryRun.stdout.matchAll(/^\| (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00)/gm)].map(
      (m) => m[1],
    );
    // Runs made by `dags test` above have midnight logical dates, so none of these weeks exists yet.
    assert.deepEqual(weeks, [
      "2026-03-09 02:00:00+00:00",
      "2026-03-16 02:00:00+00:00",
      "2026-03-23 02:00:00+00:00",
    ]);
  });

  test("bad input (exit 2) fails the task at once: no retries, downstream never runs", async () => {
    // Tickets arrived, but before any topic model exists: label exits 2 ("run relabel first").
    const generated = runCli(
      ["tickets", "generate", "--date", "2026-02-02", "--count", "300", "--days", "7", "--seed", "9"],
      { ...process.env, ...env },
      home.dir,
    );
    assert.equal(generated.status, 0, generated.stderr);
    const run = await dagsTest("tickets_pipeline", "2026-02-02", { shards: 1 });
    assert.equal(run.state, "failed");
    const label = taskOf(run, "label");
    assert.equal(label.state, "failed");
    assert.equal(label.try_number, 1, "retries=3 is not used for exit code 2");
    const summary = label.xcom as { status: string; error: string };
    assert.equal(summary.status, "error", "a failed task's XCom is its error summary");
    assert.match(summary.error, /run `inflow tickets relabel --date 2026-02-02` first/);
    for (const id of ["train", "evaluate"]) assert.equal(taskOf(run, id).state, "upstream_failed", id);
  });

  test("a week without raw tickets ends cleanly: preprocess skipped with the reason in its XCom, everything after it skipped", async () => {
    const quiet = "2026-04-27"; // the raw store holds weeks 1–4, nothing after 2026-03-29
    const run = await dagsTest("tickets_pipeline", quiet, { shards: 2 });
    const states = JSON.stringify(run.tasks.map((t) => [t.task_id, t.map_index, t.state]));
    assert.equal(run.state, "success", states);
    for (const shard of [0, 1]) {
      const preprocess = taskOf(run, "preprocess", shard);
      assert.equal(preprocess.state, "skipped", states);
      assert.equal(preprocess.try_number, 1, "nothing to do is not retried");
      const summary = preprocess.xcom as { status: string; reason: string };
      assert.equal(summary.status, "skipped");
      assert.match(summary.reason, /^no raw tickets in the window 2026-04-20\.\.2026-04-26 in s3:/);
    }
    for (const id of ["labelling", "label", "relabel", "novelty_decision", "train", "evaluate"])
      assert.equal(taskOf(run, id).state, "skipped", `${id}: ${states}`);
  });

  test("activity_daily at 00:01, then the 09:00 report once the day's charts exist", async () => {
    const day = "2024-04-01";
    const chat = generateActivity({ days: 60, firstDay: "2024-02-01", zone: "UTC", seed: 7 });
    const exportPath = join(home.dir, "result.json");
    writeFileSync(
      exportPath,
      telegramExportJson(chat.messages, { name: "Synthetic", id: 1234567, zone: "UTC" }),
    );

    const daily = await dagsTest("activity_daily", `${day}T00:01:00+00:00`, {
      ingest_source: `--export=${exportPath}`,
    });
    assert.equal(daily.state, "success", JSON.stringify(daily.tasks.map((t) => [t.task_id, t.state])));
    const chart = taskOf(daily, "chart").xcom as { date: string };
    assert.equal(chart.date, day);
    const published = await keys(clean, "inflow/activity/chat=1234567/");
    for (const kind of ["series", "evaluation", "model", "forecast", "charts"]) {
      assert.ok(
        published.some((k) => k.includes(`/${kind}/date=${day}/`)),
        `${kind} for ${day} in S3`,
      );
    }
    assert.ok((await mlflowRuns("inflow-activity", daily.run_id)).length >= 6);

    const report = await dagsTest("activity_morning_report", `${day}T09:00:00+00:00`);
    assert.equal(report.state, "success", JSON.stringify(report.tasks.map((t) => [t.task_id, t.state])));
    assert.equal(taskOf(report, "wait_for_charts").state, "success");
    const sent = telegram.calls.filter((c) => c.status === 200 && c.method.startsWith("send"));
    assert.ok(sent.length > 0, "the report reached the Telegram chat");
    assert.ok(sent.every((c) => c.params.chat_id === "-1001234567890"));
  });
});
